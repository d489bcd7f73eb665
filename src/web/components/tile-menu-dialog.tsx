import { useI18n } from '../i18n/index.js';
import { useModal } from '../use-modal.js';
import { FilePicker } from './file-picker.js';

export interface TileMenuDialogProps {
  /** The tile's name as shown ("Ann", "Ann's screen", "You"). */
  name: string;
  self: boolean;
  pin: { pinned: boolean; toggle: () => void } | undefined;
  /** Full screen for this tile, when the browser offers it. */
  fullScreen: { on: boolean; toggle: () => void } | undefined;
  onSendFiles?: ((files: readonly File[]) => void) | undefined;
  onClose: () => void;
}

/**
 * A narrow tile's actions (a phone, a full mesh), where a row of thumb-sized buttons would cover the
 * picture: Pin, Full screen and Send a file, in a modal sheet opened from the tile's ⋯ button.
 */
export function TileMenuDialog({ name, self, pin, fullScreen, onSendFiles, onClose }: TileMenuDialogProps) {
  const { t } = useI18n();
  const dialog = useModal();
  const close = () => dialog.current?.close();
  const pinLabel = self ? t('layout.pinSelf') : t('layout.pin', { name });
  return (
    <dialog ref={dialog} class="dialog tile-menu" aria-labelledby="tile-menu-title" onClose={onClose}>
      <h2 id="tile-menu-title">{name}</h2>
      <div class="tile-menu__actions">
        {pin && (
          <button
            type="button"
            class="secondary"
            aria-pressed={pin.pinned}
            onClick={() => {
              pin.toggle();
              close();
            }}
          >
            {pin.pinned ? t('layout.unpinTitle') : pinLabel}
          </button>
        )}
        {fullScreen && (
          <button
            type="button"
            class="secondary"
            onClick={() => {
              close();
              fullScreen.toggle();
            }}
          >
            {fullScreen.on
              ? t('layout.exitFullScreen')
              : self
                ? t('layout.fullScreenSelf')
                : t('layout.fullScreen', { name })}
          </button>
        )}
        {onSendFiles && (
          <FilePicker
            class="secondary"
            label={t('files.sendTo', { name })}
            text
            onFiles={(files) => {
              close();
              onSendFiles(files);
            }}
          />
        )}
      </div>
      <form method="dialog">
        <button type="submit">{t('settings.close')}</button>
      </form>
    </dialog>
  );
}
