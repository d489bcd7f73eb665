import { useEffect, useRef, useState } from 'preact/hooks';
import type { SignalingConnection } from '../../call/index.js';
import { useI18n, type Translate } from '../i18n/index.js';
import { joinProblemText } from '../join-problem.js';
import { LocalLevelMeter } from '../local-level.js';
import { pathText } from '../link-text.js';
import { type TestCallPhase, type TestCallVerdict, useTestCall } from '../use-test-call.js';
import { VideoTile } from './video-tile.js';
import { playTones } from '../tones.js';

export interface TestCallPanelProps {
  signaling: SignalingConnection;
  stream: MediaStream | null;
  name: string;
  onClose: () => void;
}

/**
 * The lobby's Test call, loaded when first opened: your own video and voice coming back from an echo peer on
 * the server, the path and round trip, a verdict in plain words, a microphone level meter and a speaker test.
 */
export function TestCallPanel({ signaling, stream, name, onClose }: TestCallPanelProps) {
  const { t } = useI18n();
  const { phase, peer, verdict, videoRef } = useTestCall(signaling, stream, name);
  const returned = peer?.stream;
  // The tile draws the video; its element is found to count the frames it shows.
  const tile = useRef<HTMLDivElement>(null);
  useEffect(() => videoRef(tile.current?.querySelector('video') ?? null));

  const status = statusText(phase, verdict, t);
  const link = peer?.link;
  return (
    <section aria-labelledby="test-call-title">
      <h2 id="test-call-title">{t('controls.testCall')}</h2>
      <div ref={tile} class="lobby__preview">
        <VideoTile
          name={t('testCall.returned')}
          stream={returned ?? null}
          media={{ audio: true, video: true }}
        />
      </div>
      <p class={verdict === 'works' || verdict === 'works-no-camera' ? 'hint' : 'notice'} role="status">
        {status}
      </p>
      {link?.path && (
        <p class="hint">
          {pathText(link.path, t)}
          {link.rttMs !== undefined && ` · ${t('link.rtt', { ms: Math.round(link.rttMs) })}`}
        </p>
      )}
      <MicrophoneMeter stream={stream} label={t('testCall.micLevel')} />
      <div class="toolbar">
        <button type="button" class="secondary" onClick={playTestSound}>
          {t('testCall.playSound')}
        </button>
        <button type="button" class="secondary" onClick={onClose}>
          {t('testCall.stop')}
        </button>
      </div>
    </section>
  );
}

function statusText(phase: TestCallPhase, verdict: TestCallVerdict, t: Translate): string {
  switch (verdict) {
    case 'works':
      return t('testCall.works');
    case 'works-no-camera':
      return t('testCall.worksNoCamera');
    case 'no-video':
      return t('testCall.noVideo');
    case undefined:
      break;
    default:
      verdict satisfies never;
  }
  switch (phase.kind) {
    case 'asking':
    case 'connecting':
    case 'connected':
      return t('testCall.connecting');
    case 'unreachable':
      return t('testCall.unreachable');
    case 'ended':
      return t('testCall.ended');
    case 'refused': {
      const { code, message, retryAfterMs } = phase.error;
      return joinProblemText(
        { code, room: '', message, ...(retryAfterMs !== undefined && { retryAfterMs }) },
        t,
      );
    }
    default:
      return phase satisfies never;
  }
}

/** How loud the microphone is now, as a bar: the same measure as the call's "who is speaking". */
function MicrophoneMeter({ stream, label }: { stream: MediaStream | null; label: string }) {
  const [level, setLevel] = useState(0);
  const track = stream?.getAudioTracks()[0];
  useEffect(() => {
    if (!track) return;
    const meter = new LocalLevelMeter(track);
    const timer = setInterval(() => setLevel(meter.level()), 100);
    return () => {
      clearInterval(timer);
      meter.stop();
    };
  }, [track]);
  if (!track) return null;
  // Speech is around 0.01 to 0.2 on this linear scale: the bar is stretched so a voice fills a good part.
  return (
    <label class="field">
      <span>{label}</span>
      <meter min={0} max={1} value={Math.min(1, Math.sqrt(level) * 2)} />
    </label>
  );
}

/** A short rising three-note tone on the speaker (the system's output), to check that sound comes out. */
function playTestSound(): void {
  playTones([523, 659, 784], 0.25, 0.15);
}
