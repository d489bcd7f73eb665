import { useEffect, useRef, useState } from 'preact/hooks';
import type { LinkStats } from '../../call/index.js';
import { useI18n } from '../i18n/index.js';
import { playWithSound } from '../playback.js';
import { rectStyle, type PlacedTile } from '../stage-layout.js';
import { LinkIndicator } from './link-indicator.js';
import { TileActions } from './tile-actions.js';

export interface VideoTileProps {
  /** Accessible name of the tile: the person's name, or "You". */
  name: string;
  stream: MediaStream | null;
  /** Our own preview: mirrored and muted, so we neither hear ourselves nor see a reversed room. */
  self?: boolean;
  /** What the person says about their devices; the tile shows a placeholder when the camera is off. */
  media: { audio: boolean; video: boolean };
  /** A short state shown over the video ("Connecting…"), or nothing when all is well. */
  status?: string | undefined;
  /** A remote person's connection path and quality, once measured. */
  link?: LinkStats | undefined;
  /** The pair's verification code, once connected (remote tiles only). */
  verificationCode?: string | undefined;
  /** The code is not the one first shown in this call: the people should compare again. */
  verificationChanged?: boolean;
  /** Where the person's sound plays (a device id from Settings); the system's default when undefined. */
  speaker?: string | undefined;
  /** A shared screen rather than a camera: never mirrored, never cropped. */
  screen?: boolean;
  /** The person is speaking now: the tile is outlined. */
  speaking?: boolean;
  /** Whose initials stand in for the video when the camera is off ("You" would give "Y"). */
  avatarName?: string;
  /** Where the stage puts the tile; without it the tile flows in its container (the lobby's preview). */
  layout?: PlacedTile | undefined;
  /** Pinning: the tile fills the stage while pinned. Without it the tile has no Pin button. */
  pin?: { pinned: boolean; toggle: () => void } | undefined;
  /** Sends files to this person alone (a remote person's tile). */
  onSendFiles?: ((files: readonly File[]) => void) | undefined;
  /** The person has raised their hand. */
  hand?: boolean;
  /** An emoji they just reacted with; `key` tells one reaction from the next with the same emoji. */
  reaction?: { emoji: string; key: number } | undefined;
}

/**
 * The pair's code, to compare aloud: the same on both screens means nobody is in the middle. Its accessible
 * name says what it is; the visible label stays short so that it fits a phone-sized tile.
 */
function VerificationCode({ code, name, changed }: { code: string; name: string; changed: boolean }) {
  const { t } = useI18n();
  const advice = changed ? t('code.adviceChanged', { name }) : t('code.advice', { name });
  return (
    <p
      class={`tile__code${changed ? ' tile__code--changed' : ''}`}
      role="note"
      aria-label={changed ? t('code.nameChanged') : t('code.name')}
      title={advice}
    >
      <span class="tile__code-label" aria-hidden="true">
        {changed ? t('code.shortChanged') : t('code.short')}
      </span>{' '}
      <span class="tile__code-digits">{code}</span>
    </p>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).slice(0, 2);
  return parts.map((part) => part.charAt(0).toUpperCase()).join('') || '?';
}

/** One person's video with their name. The video element is kept while the stream changes tracks. */
export function VideoTile({
  name,
  stream,
  self = false,
  media,
  status,
  link,
  verificationCode,
  verificationChanged = false,
  speaking = false,
  screen = false,
  speaker,
  avatarName = name,
  layout,
  pin,
  onSendFiles,
  hand = false,
  reaction,
}: VideoTileProps) {
  const { t } = useI18n();
  const figure = useRef<HTMLElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  /** The browser refused to play this person's sound without a click (Safari's autoplay policy). */
  const [soundBlocked, setSoundBlocked] = useState(false);
  useEffect(() => {
    const element = video.current;
    if (!element || element.srcObject === stream) return;
    element.srcObject = stream;
    // Our own preview is muted and autoplays; a remote person's video is started here, so a refusal shows.
    if (stream && !self) void playWithSound(element).then((on) => setSoundBlocked(!on));
  }, [stream, self]);
  useEffect(() => {
    const element = video.current;
    // setSinkId is not in every browser; Settings offers no speaker list where it is missing.
    if (self || speaker === undefined || !element || !('setSinkId' in element)) return;
    void element.setSinkId(speaker).catch(() => undefined);
  }, [speaker, self, stream]);
  const turnSoundOn = () => {
    if (video.current) void playWithSound(video.current).then((on) => setSoundBlocked(!on));
  };

  const showVideo = media.video && stream !== null && stream.getVideoTracks().length > 0;
  const classes = [
    'tile',
    self && 'tile--self',
    screen && 'tile--screen',
    speaking && 'tile--speaking',
    layout && `tile--${layout.role}`,
  ];
  const style = layout && {
    ...rectStyle(layout.rect),
    ...(layout.coveredRight !== undefined && { '--covered-right': `${layout.coveredRight}px` }),
  };
  return (
    <figure ref={figure} class={classes.filter(Boolean).join(' ')} style={style} aria-label={name}>
      {/* playsinline keeps iOS Safari from taking the video full screen. */}
      <video ref={video} autoplay playsInline muted={self} hidden={!showVideo} />
      {!showVideo && (
        <div class="tile__avatar" aria-hidden="true">
          {initials(avatarName)}
        </div>
      )}
      <figcaption class="tile__caption">
        <span class="tile__name">{name}</span>
        {hand && (
          <span class="badge badge--hand" title={t('reactions.handUp')}>
            <span aria-hidden="true">✋</span> {t('reactions.handUp')}
          </span>
        )}
        {!media.audio && <span class="badge">{t('tile.muted')}</span>}
        {!media.video && <span class="badge">{t('tile.cameraOff')}</span>}
        {/* Beside the name, not in a corner: your own picture covers the bottom right of a pair's main tile. */}
        {layout && layout.role !== 'corner' && layout.role !== 'beside' && (
          <TileActions name={name} self={self} figure={figure} pin={pin} onSendFiles={onSendFiles} />
        )}
      </figcaption>
      {link && <LinkIndicator link={link} />}
      {reaction && (
        <span
          key={reaction.key}
          class="tile__reaction"
          role="img"
          aria-label={t('reactions.of', { name, emoji: reaction.emoji })}
        >
          {reaction.emoji}
        </span>
      )}
      {verificationCode && (
        <VerificationCode code={verificationCode} name={name} changed={verificationChanged} />
      )}
      {soundBlocked && (
        <button type="button" class="tile__sound" onClick={turnSoundOn}>
          {t('tile.soundOn')}
        </button>
      )}
      {status && (
        <p class="tile__status" role="status">
          {status}
        </p>
      )}
    </figure>
  );
}
