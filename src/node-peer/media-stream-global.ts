import { MediaStream } from 'werift';

/**
 * `src/call/` makes a `new MediaStream()` for each connection's remote tracks, as the page does; in Node that
 * global is missing, and werift's own MediaStream (the type its tracks expect) stands in. Set once, only where
 * nothing defines it already.
 */
export function provideMediaStreamGlobal(): void {
  if (typeof globalThis.MediaStream === 'undefined')
    Object.assign(globalThis, { MediaStream: MediaStream as unknown as typeof globalThis.MediaStream });
}
