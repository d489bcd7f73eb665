import { useEffect } from 'preact/hooks';
import type { LocalView } from '../call/index.js';
import type { Rect } from './stage-layout.js';

/** Where each person's camera and screen are on our stage, by peer id (absent: not on the stage). */
export type PeerTiles = ReadonlyMap<string, { camera?: Rect | undefined; screen?: Rect | undefined }>;

/**
 * Tells the call how we show each person (`LocalView`: their tiles' size in device pixels, whether we pinned
 * them or hear them speaking) and whether the page is hidden, each time that may have changed: the layout,
 * who speaks, and the tab going to the background or coming back. The call says it on to each person only
 * when it changed (see `QualityController`), so that they send us no more than we show.
 */
export function useViewReports(
  report: (views: ReadonlyMap<string, LocalView>, hidden: boolean) => void,
  tiles: PeerTiles,
  pinned: (peerId: string) => boolean,
  speaking: (peerId: string) => boolean,
): void {
  useEffect(() => {
    const send = () => {
      const scale = window.devicePixelRatio || 1;
      const size = (rect: Rect | undefined) =>
        rect && rect.width >= 1 && rect.height >= 1
          ? { width: Math.round(rect.width * scale), height: Math.round(rect.height * scale) }
          : undefined;
      const views = new Map<string, LocalView>();
      for (const [id, { camera, screen }] of tiles) {
        const cameraSize = size(camera);
        const screenSize = size(screen);
        views.set(id, {
          ...(cameraSize && { camera: cameraSize }),
          ...(screenSize && { screen: screenSize }),
          pinned: pinned(id),
          speaking: speaking(id),
        });
      }
      report(views, document.visibilityState === 'hidden');
    };
    send();
    document.addEventListener('visibilitychange', send);
    return () => document.removeEventListener('visibilitychange', send);
  });
}
