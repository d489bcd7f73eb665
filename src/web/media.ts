/**
 * Camera and microphone for the pre-join preview. Whatever can be had is returned, with a sentence for the
 * person saying what is missing and why, so that someone without a camera still joins with audio and chat.
 */
export interface LocalMedia {
  stream: MediaStream | null;
  /** Shown on the pre-join screen and in the call when something is missing. */
  notice: string | undefined;
}

/** What Parley asks of the camera and microphone; the setup benchmark's floor uses the same. */
export const CAPTURE_CONSTRAINTS = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } },
} satisfies MediaStreamConstraints;

type Kind = 'camera' | 'microphone';

function reason(kind: Kind, error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return `the ${kind} is blocked (allow it in the browser's site settings)`;
    case 'NotFoundError':
    case 'OverconstrainedError':
      return `no ${kind} was found`;
    case 'NotReadableError':
    case 'AbortError':
      return `the ${kind} is in use by another program`;
    default:
      return `the ${kind} could not be started`;
  }
}

async function capture(constraints: MediaStreamConstraints): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia(constraints);
}

export async function openLocalMedia(): Promise<LocalMedia> {
  if (!navigator.mediaDevices?.getUserMedia) {
    return {
      stream: null,
      notice: 'Camera and microphone need a secure (HTTPS) page. You can still join and chat.',
    };
  }
  try {
    return { stream: await capture(CAPTURE_CONSTRAINTS), notice: undefined };
  } catch {
    // Fall through: ask for each device on its own to keep whichever works.
  }
  const problems: string[] = [];
  const tracks: MediaStreamTrack[] = [];
  for (const [kind, constraints] of [
    ['microphone', { audio: CAPTURE_CONSTRAINTS.audio }],
    ['camera', { video: CAPTURE_CONSTRAINTS.video }],
  ] as const) {
    try {
      tracks.push(...(await capture(constraints)).getTracks());
    } catch (error) {
      problems.push(reason(kind, error));
    }
  }
  const stream = tracks.length > 0 ? new MediaStream(tracks) : null;
  const joined = problems.join(' and ');
  const notice = `${joined.charAt(0).toUpperCase()}${joined.slice(1)}. You can still join${
    stream ? ' with what you have' : ''
  } and chat.`;
  return { stream, notice };
}

/** Stops every track of a stream, turning the camera light off. */
export function stopStream(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
