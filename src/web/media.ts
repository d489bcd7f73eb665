import type { Translate } from './i18n/index.js';

/** Why a device could not be had, from the browser's error (see {@link reason}). */
export type DeviceProblem = {
  device: Kind;
  reason: 'blocked' | 'not-found' | 'in-use' | 'failed';
};

/** What is missing, put in words by {@link mediaNoticeText} in the page's language. */
export type MediaNotice =
  /** No getUserMedia at all: the page is not a secure context. */
  | { kind: 'insecure' }
  /** `partial`: some device works, and the call will use it. */
  | { kind: 'missing'; problems: readonly DeviceProblem[]; partial: boolean };

/**
 * Camera and microphone for the pre-join preview. Whatever can be had is returned, with what is missing and
 * why, so that someone without a camera still joins with audio and chat.
 */
export interface LocalMedia {
  stream: MediaStream | null;
  /** Shown on the pre-join screen and in the call when something is missing. */
  notice: MediaNotice | undefined;
}

/** What Parley asks of the camera and microphone; the setup benchmark's floor uses the same. */
export const CAPTURE_CONSTRAINTS = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } },
} satisfies MediaStreamConstraints;

type Kind = 'camera' | 'microphone';

function reason(error: unknown): DeviceProblem['reason'] {
  const name = error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'blocked';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'not-found';
    case 'NotReadableError':
    case 'AbortError':
      return 'in-use';
    default:
      return 'failed';
  }
}

const REASON_KEYS = {
  blocked: 'media.blocked',
  'not-found': 'media.notFound',
  'in-use': 'media.inUse',
  failed: 'media.failed',
} as const;

/** The notice as a sentence: "No microphone was found and no camera was found. You can still join and chat." */
export function mediaNoticeText(notice: MediaNotice, t: Translate): string {
  if (notice.kind === 'insecure') return t('media.insecure');
  const problems = notice.problems.map(({ device, reason }) =>
    t(REASON_KEYS[reason], {
      device: t(device === 'camera' ? 'media.device.camera' : 'media.device.microphone'),
    }),
  );
  return t('media.notice', { problems, partial: notice.partial });
}

async function capture(constraints: MediaStreamConstraints): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia(constraints);
}

export async function openLocalMedia(): Promise<LocalMedia> {
  if (!navigator.mediaDevices?.getUserMedia) {
    return { stream: null, notice: { kind: 'insecure' } };
  }
  try {
    return { stream: await capture(CAPTURE_CONSTRAINTS), notice: undefined };
  } catch {
    // Fall through: ask for each device on its own to keep whichever works.
  }
  const problems: DeviceProblem[] = [];
  const tracks: MediaStreamTrack[] = [];
  for (const [kind, constraints] of [
    ['microphone', { audio: CAPTURE_CONSTRAINTS.audio }],
    ['camera', { video: CAPTURE_CONSTRAINTS.video }],
  ] as const) {
    try {
      tracks.push(...(await capture(constraints)).getTracks());
    } catch (error) {
      problems.push({ device: kind, reason: reason(error) });
    }
  }
  const stream = tracks.length > 0 ? new MediaStream(tracks) : null;
  if (problems.length === 0) return { stream, notice: undefined };
  return { stream, notice: { kind: 'missing', problems, partial: stream !== null } };
}

/** Stops every track of a stream, turning the camera light off. */
export function stopStream(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
