import { useEffect, useState } from 'preact/hooks';
import type { MachineLoad, MediaSample, RemotePeerView, VideoFlow } from '../../call/index.js';
import { diagnosticsReport } from '../diagnostics.js';
import { formatBytes } from '../file-sizes.js';
import { useI18n, type Translate } from '../i18n/index.js';
import { pathText } from '../link-text.js';
import { formatBitrate } from '../quality-preferences.js';
import { useModal } from '../use-modal.js';

export interface CallDetailsDialogProps {
  peers: readonly RemotePeerView[];
  label: (id: string, name: string) => string;
  /** The last minute of a person's connection, a reading every 2 s. */
  history: (peerId: string) => readonly MediaSample[];
  dataUsed: () => { bytes: number; bytesPerSecond: number };
  budgetBps: () => number | undefined;
  machineLoad: () => MachineLoad | undefined;
  saver: boolean;
  onClose: () => void;
}

/** As often as the stats are read (`LINK_POLL_MS`): the figures and graphs move with each reading. */
const REFRESH_MS = 2000;

/**
 * What the call is doing, person by person (a modal dialog, loaded on demand): the path, round trip, loss
 * and jitter, the video each way (codec, size, frame rate, bitrate), graphs of the last minute, and Copy
 * diagnostics for a bug ticket. Figures come from each connection's getStats(), read every 2 s.
 */
export function CallDetailsDialog({
  peers,
  label,
  history,
  dataUsed,
  budgetBps,
  machineLoad,
  saver,
  onClose,
}: CallDetailsDialogProps) {
  const { t, language } = useI18n();
  const dialog = useModal();
  const [, setTick] = useState(0);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const used = dataUsed();
  const budget = budgetBps();
  const copy = () => {
    const report = diagnosticsReport({
      peers,
      history,
      budgetBps: budget,
      machineLoad: machineLoad(),
      saver,
      dataUsed: used,
      userAgent: navigator.userAgent,
      now: new Date(),
    });
    void navigator.clipboard?.writeText(report).then(() => setCopied(true));
  };
  return (
    <dialog ref={dialog} class="dialog details" aria-labelledby="details-title" onClose={onClose}>
      <h2 id="details-title">{t('controls.callDetails')}</h2>
      <p class="details__summary">
        {budget !== undefined && t('details.budget', { rate: formatBitrate(budget, language) })}{' '}
        {t('quality.used', {
          used: formatBytes(used.bytes, language),
          perHour: formatBytes(used.bytesPerSecond * 3600, language),
        })}
      </p>
      {peers.length === 0 && <p>{t('details.nobody')}</p>}
      {peers.map((peer) => (
        <PersonDetails
          key={peer.id}
          peer={peer}
          name={label(peer.id, peer.name)}
          samples={history(peer.id)}
          t={t}
          language={language}
        />
      ))}
      <p class="dialog__note">{t('details.copyHint')}</p>
      <div class="details__actions">
        <button type="button" class="secondary" onClick={copy}>
          {copied ? t('details.copied') : t('details.copy')}
        </button>
        <form method="dialog">
          <button type="submit">{t('settings.close')}</button>
        </form>
      </div>
    </dialog>
  );
}

function PersonDetails({
  peer,
  name,
  samples,
  t,
  language,
}: {
  peer: RemotePeerView;
  name: string;
  samples: readonly MediaSample[];
  t: Translate;
  language: string;
}) {
  const last = samples.at(-1);
  const { link } = peer;
  const unknown = t('details.notMeasured');
  const ms = (value: number) =>
    new Intl.NumberFormat(language, { style: 'unit', unit: 'millisecond', maximumFractionDigits: 0 }).format(
      value,
    );
  const rows: [string, string][] = [
    [t('details.path'), link?.path ? pathText(link.path, t) : unknown],
    [t('details.rtt'), link?.rttMs === undefined ? unknown : ms(link.rttMs)],
    [
      t('details.loss'),
      link?.lossPercent === undefined
        ? unknown
        : new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(
            link.lossPercent / 100,
          ),
    ],
    [t('details.jitter'), last?.jitterMs === undefined ? unknown : ms(last.jitterMs)],
    [t('details.sending'), flowText(last?.sent, t, language)],
    [t('details.receiving'), flowText(last?.received, t, language)],
  ];
  return (
    <section class="details__person" aria-label={name}>
      <h3>{name}</h3>
      <dl class="details__figures">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <Graph
        label={t('details.graphBitrate')}
        series={[
          {
            name: t('details.down'),
            kind: 'down',
            values: samples.map((sample) => (sample.seconds > 0 ? sample.received?.bitrate : undefined)),
          },
          {
            name: t('details.up'),
            kind: 'up',
            values: samples.map((sample) => (sample.seconds > 0 ? sample.sent?.bitrate : undefined)),
          },
        ]}
      />
    </section>
  );
}

/** "VP8 · 640×480 · 20 fps · 1.2 Mb/s", or "No video". */
function flowText(flow: VideoFlow | undefined, t: Translate, language: string): string {
  if (!flow) return t('details.noVideo');
  const parts = [
    flow.codec,
    flow.width && flow.height ? `${flow.width}×${flow.height}` : undefined,
    flow.frameRate === undefined ? undefined : t('details.fps', { fps: Math.round(flow.frameRate) }),
    formatBitrate(flow.bitrate, language),
  ];
  return parts.filter((part) => part !== undefined).join(' · ');
}

const GRAPH = { width: 240, height: 48, points: 30 };

/**
 * A small line graph of the last minute (a first reading, which has no interval to measure over, left out), drawn as SVG polylines (no charting library: two lines and a
 * scale are all it needs). The newest reading is at the right edge.
 */
function Graph({
  label,
  series,
}: {
  label: string;
  series: { name: string; kind: string; values: (number | undefined)[] }[];
}) {
  const most = Math.max(1, ...series.flatMap(({ values }) => values.filter((value) => value !== undefined)));
  const x = (index: number, count: number) =>
    GRAPH.width - ((count - 1 - index) * GRAPH.width) / (GRAPH.points - 1);
  const y = (value: number) => GRAPH.height - 2 - (value / most) * (GRAPH.height - 4);
  return (
    <figure class="details__graph">
      <svg
        viewBox={`0 0 ${GRAPH.width} ${GRAPH.height}`}
        role="img"
        aria-label={label}
        preserveAspectRatio="none"
      >
        {series.map(({ kind, values }) => (
          <polyline
            key={kind}
            class={`details__line details__line--${kind}`}
            points={values
              .map((value, index) =>
                value === undefined
                  ? undefined
                  : `${x(index, values.length).toFixed(1)},${y(value).toFixed(1)}`,
              )
              .filter((point) => point !== undefined)
              .join(' ')}
          />
        ))}
      </svg>
      <figcaption>
        {label}:{' '}
        {series.map(({ name, kind }) => (
          <span key={kind} class={`details__key details__key--${kind}`}>
            {name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
