/**
 * What a person would notice about a tile's media, measured inside the page. Each function runs in the
 * browser (Playwright's and Puppeteer's `evaluate` both send its source text), so it must be self-contained:
 * no imports and no named inner functions (esbuild's keepNames, which tsx turns on, would wrap those in a
 * `__name()` helper that does not exist in the page). Both work the same in Chromium and Firefox.
 */

export interface FrameProbe {
  target: number;
  withinMs: number;
}

/**
 * Counts video frames presented by `element` (requestVideoFrameCallback, which Chromium and Firefox both
 * have), resolving once `target` new frames have been shown or when `withinMs` has passed. A frozen or
 * black video resolves with 0.
 */
export async function countPresentedFrames(
  element: Element,
  { target, withinMs }: FrameProbe,
): Promise<number> {
  const video = element as HTMLVideoElement;
  const timeUp = new Promise<undefined>((resolve) => setTimeout(resolve, withinMs));
  let first: number | undefined;
  let latest = 0;
  for (;;) {
    const presented = await Promise.race([
      new Promise<number>((resolve) =>
        video.requestVideoFrameCallback((_now, meta) => resolve(meta.presentedFrames)),
      ),
      timeUp,
    ]);
    if (presented === undefined) break;
    first ??= presented;
    latest = presented;
    if (latest - first >= target) break;
  }
  return first === undefined ? 0 : latest - first;
}

export interface AudioProbe {
  threshold: number;
  withinMs: number;
}

/**
 * Listens to the sound of `element`'s stream (a Web Audio analyser) and resolves with the loudest level
 * heard, as soon as it passes `threshold` or when `withinMs` has passed. The fake microphones of both
 * browsers make a tone, so a connected call is clearly above silence.
 */
export async function loudestLevel(element: Element, { threshold, withinMs }: AudioProbe): Promise<number> {
  const stream = (element as HTMLVideoElement).srcObject;
  if (!(stream instanceof MediaStream) || stream.getAudioTracks().length === 0) return 0;
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  context.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const deadline = performance.now() + withinMs;
  let loudest = 0;
  // The analyser has no event of its own; sample it at about the audio render rate.
  while (loudest < threshold && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    analyser.getFloatTimeDomainData(samples);
    for (const sample of samples) loudest = Math.max(loudest, Math.abs(sample));
  }
  await context.close();
  return loudest;
}
