import type { Page } from 'playwright-core';

/**
 * Arms a page before its Join click: resolves with the milliseconds from that click to the first video frame
 * in `remoteName`'s tile, both timed inside the page (the driver's own clock would add tens of ms of noise).
 */
export function armSetupTimer(page: Page, remoteName: string): Promise<number> {
  return page.evaluate(
    (remoteName) =>
      new Promise<number>((resolve) => {
        let clickedAt = 0;
        const join = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Join');
        join?.addEventListener('click', () => (clickedAt = performance.now()), { capture: true, once: true });
        const watch = new MutationObserver(() => {
          const video = document.querySelector<HTMLVideoElement>(`figure[aria-label="${remoteName}"] video`);
          if (!video) return;
          watch.disconnect();
          video.requestVideoFrameCallback((now) => resolve(now - clickedAt));
        });
        watch.observe(document.body, { childList: true, subtree: true });
      }),
    remoteName,
  );
}
