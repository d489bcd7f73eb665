/**
 * Starts a remote person's video with its sound. A browser may refuse sound that does not follow a click
 * or a tap (Safari does, when the other person arrives long after Join was pressed and no camera or
 * microphone is in use; `play()` then rejects with NotAllowedError). The video then plays muted, which every
 * browser allows, and the caller offers a button: its click is the gesture that lets this succeed.
 * https://developer.mozilla.org/en-US/docs/Web/Media/Guides/Autoplay
 *
 * @returns whether the sound is on.
 */
export async function playWithSound(video: HTMLVideoElement): Promise<boolean> {
  video.muted = false;
  try {
    await video.play();
    return true;
  } catch (error) {
    // AbortError and the like: a newer play() or source took over, and that one decides.
    if (!(error instanceof DOMException && error.name === 'NotAllowedError')) return true;
    video.muted = true;
    await video.play().catch(() => undefined);
    return false;
  }
}
