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

export type Kind = 'camera' | 'microphone';

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

/** Both devices missing for the same reason are said in one phrase, so its advice is not repeated. */
const BOTH_KEYS = { blocked: 'media.blockedBoth', 'not-found': 'media.notFoundBoth' } as const;

function problemPhrases(problems: readonly DeviceProblem[], t: Translate): string[] {
  const [first, second] = problems;
  if (
    problems.length === 2 &&
    first &&
    second &&
    first.reason === second.reason &&
    first.reason in BOTH_KEYS
  ) {
    return [t(BOTH_KEYS[first.reason as keyof typeof BOTH_KEYS])];
  }
  return problems.map(({ device, reason }) =>
    t(REASON_KEYS[reason], {
      device: t(device === 'camera' ? 'media.device.camera' : 'media.device.microphone'),
    }),
  );
}

/**
 * The notice as a sentence: "No camera or microphone was found. You can still join and chat." In the call
 * (`inCall`) it no longer speaks of joining.
 */
export function mediaNoticeText(notice: MediaNotice, t: Translate, { inCall = false } = {}): string {
  if (notice.kind === 'insecure') return t(inCall ? 'media.insecureInCall' : 'media.insecure');
  const problems = problemPhrases(notice.problems, t);
  return t(inCall ? 'media.noticeInCall' : 'media.notice', { problems, partial: notice.partial });
}

async function capture(constraints: MediaStreamConstraints): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia(constraints);
}

/**
 * What to ask for each kind: Parley's constraints, on the chosen device. `ideal`, when the device was
 * remembered (it may be gone: any other will do); `exact`, when the person picks it now.
 */
export function deviceConstraints(
  kind: Kind,
  deviceId: string | undefined,
  strength: 'ideal' | 'exact' = 'ideal',
): MediaTrackConstraints {
  const base = kind === 'camera' ? CAPTURE_CONSTRAINTS.video : CAPTURE_CONSTRAINTS.audio;
  return deviceId ? { ...base, deviceId: { [strength]: deviceId } } : base;
}

/** One new track from the chosen device, for a switch in Settings or after an unplug. */
export async function captureTrack(kind: Kind, deviceId: string | undefined): Promise<MediaStreamTrack> {
  const constraints = deviceConstraints(kind, deviceId, 'exact');
  const stream = await capture(kind === 'camera' ? { video: constraints } : { audio: constraints });
  const [track] = stream.getTracks();
  if (!track) throw new DOMException('No track', 'NotFoundError');
  return track;
}

export async function openLocalMedia(
  choice: { camera?: string | undefined; microphone?: string | undefined } = {},
): Promise<LocalMedia> {
  if (!navigator.mediaDevices?.getUserMedia) {
    return { stream: null, notice: { kind: 'insecure' } };
  }
  const audio = deviceConstraints('microphone', choice.microphone);
  const video = deviceConstraints('camera', choice.camera);
  try {
    return { stream: await capture({ audio, video }), notice: undefined };
  } catch {
    // Fall through: ask for each device on its own to keep whichever works.
  }
  const problems: DeviceProblem[] = [];
  const tracks: MediaStreamTrack[] = [];
  for (const [kind, constraints] of [
    ['microphone', { audio }],
    ['camera', { video }],
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
