import type { RefObject } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.js';
import { FilePicker } from './file-picker.js';
import { LineIcon } from './line-icon.js';
import { useOnDemand } from '../use-on-demand.js';

const loadTileMenu = () => import('./tile-menu-dialog.js');

export interface TileActionsProps {
  /** The person's name as the tile shows it, for the buttons' names ("Pin Ann"). */
  name: string;
  /** Our own tile: "Pin yourself" rather than "Pin You". */
  self: boolean;
  figure: RefObject<HTMLElement>;
  pin: { pinned: boolean; toggle: () => void } | undefined;
  /** Sends files to this person alone. */
  onSendFiles?: ((files: readonly File[]) => void) | undefined;
}

/** Whether `element` is the one the browser shows full screen, kept current. */
function useIsFullScreen(figure: RefObject<HTMLElement>): boolean {
  const [fullScreen, setFullScreen] = useState(false);
  useEffect(() => {
    const update = () =>
      setFullScreen(document.fullscreenElement !== null && document.fullscreenElement === figure.current);
    document.addEventListener('fullscreenchange', update);
    return () => document.removeEventListener('fullscreenchange', update);
  }, [figure]);
  return fullScreen;
}

const PIN_ICON = 'M9 4h6l-1 6 3 3v2h-4v5l-1 1-1-1v-5H7v-2l3-3z';
const EXPAND_ICON = 'M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5';
const SHRINK_ICON = 'M9 4v5H4M20 9h-5V4M15 20v-5h5M4 15h5v5';
const MORE_ICON = 'M5 12h.01M12 12h.01M19 12h.01';

/**
 * A tile's own buttons: Pin (it fills the stage; pressed again, it goes back) and Full screen. Each says
 * whose tile it acts on, since a screen reader hears them out of the tile's context.
 */
export function TileActions({ name, self, figure, pin, onSendFiles }: TileActionsProps) {
  const { t } = useI18n();
  const fullScreen = useIsFullScreen(figure);
  const pinLabel = self ? t('layout.pinSelf') : t('layout.pin', { name });
  const fullScreenLabel = fullScreen
    ? t('layout.exitFullScreen')
    : self
      ? t('layout.fullScreenSelf')
      : t('layout.fullScreen', { name });
  const toggleFullScreen = () => {
    if (fullScreen) void document.exitFullscreen();
    else void figure.current?.requestFullscreen().catch(() => undefined);
  };
  const [menuOpen, setMenuOpen] = useState(false);
  const TileMenuDialog = useOnDemand(loadTileMenu, menuOpen)?.TileMenuDialog;
  const moreLabel = self ? t('layout.moreSelf') : t('layout.more', { name });
  return (
    <div class="tile__actions">
      {/* On a narrow tile, one button opens them all (styles.css shows one or the other). */}
      <button
        type="button"
        class="tile__action tile__more"
        aria-haspopup="dialog"
        aria-label={moreLabel}
        title={moreLabel}
        onClick={() => setMenuOpen(true)}
      >
        <LineIcon path={MORE_ICON} weight={3} />
      </button>
      {menuOpen && TileMenuDialog && (
        <TileMenuDialog
          name={name}
          self={self}
          pin={pin}
          fullScreen={document.fullscreenEnabled ? { on: fullScreen, toggle: toggleFullScreen } : undefined}
          onSendFiles={onSendFiles}
          onClose={() => setMenuOpen(false)}
        />
      )}
      {onSendFiles && (
        <FilePicker class="tile__action" label={t('files.sendTo', { name })} onFiles={onSendFiles} />
      )}
      {pin && (
        <button
          type="button"
          class="tile__action"
          aria-pressed={pin.pinned}
          aria-label={pinLabel}
          title={pin.pinned ? t('layout.unpinTitle') : pinLabel}
          onClick={pin.toggle}
        >
          <LineIcon path={PIN_ICON} />
        </button>
      )}
      {document.fullscreenEnabled && (
        <button
          type="button"
          class="tile__action"
          aria-label={fullScreenLabel}
          title={fullScreenLabel}
          onClick={toggleFullScreen}
        >
          <LineIcon path={fullScreen ? SHRINK_ICON : EXPAND_ICON} />
        </button>
      )}
    </div>
  );
}
