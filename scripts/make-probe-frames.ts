/**
 * Makes the VP8 frames that `parley probe` sends (src/node-peer/probe-frames.ts): a small moving picture,
 * encoded once by Chromium's own VP8 encoder (WebCodecs), every frame a keyframe so that each one decodes
 * on its own. Run it again only to change the picture: `npx tsx scripts/make-probe-frames.ts`.
 */
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';

const FRAMES = 8;
const OUT = new URL('../src/node-peer/probe-frames.ts', import.meta.url);

// WebCodecs needs a secure context: a page on http://127.0.0.1 is one.
const server = createServer((_req, res) => res.end('<!doctype html><title>frames</title>'));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
if (typeof address !== 'object' || address === null) throw new Error('no address');
const browser = await chromium.launch({
  executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${address.port}/`);
  // A string, not a function: tsx would add helpers to a function's source that the page does not have.
  const frames = await page.evaluate<string[]>(`(async () => {
    const count = ${FRAMES};
    const width = 160;
    const height = 120;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    const chunks = [];
    const encoder = new VideoEncoder({
      output: (chunk) => {
        const bytes = new Uint8Array(chunk.byteLength);
        chunk.copyTo(bytes);
        chunks.push(btoa(String.fromCharCode(...bytes)));
      },
      error: (error) => { throw error; },
    });
    encoder.configure({ codec: 'vp8', width, height, bitrate: 200000, framerate: 15 });
    for (let i = 0; i < count; i++) {
      context.fillStyle = '#1d3557';
      context.fillRect(0, 0, width, height);
      context.fillStyle = '#f1faee';
      context.fillRect((i * width) / count, 0, width / count, height);
      const frame = new VideoFrame(canvas, { timestamp: i * 66666 });
      encoder.encode(frame, { keyFrame: true });
      frame.close();
    }
    await encoder.flush();
    return chunks;
  })()`);
  const body = frames.map((frame) => `  '${frame}',`).join('\n');
  await writeFile(
    OUT,
    `// Made by scripts/make-probe-frames.ts (Chromium's VP8 encoder): ${FRAMES} keyframes of 160x120, a bar\n` +
      `// moving across. Each decodes on its own, so the probe can send them in a loop.\n` +
      `export const PROBE_VP8_FRAMES: readonly string[] = [\n${body}\n];\n`,
  );
  console.log(
    `wrote ${FRAMES} frames, ${frames.map((f) => Math.round((f.length * 3) / 4)).join(', ')} bytes`,
  );
} finally {
  await browser.close();
  server.close();
}
