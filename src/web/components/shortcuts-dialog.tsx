import { useI18n } from '../i18n/index.js';
import { useModal } from '../use-modal.js';
import { SHORTCUT_KEYS, type ShortcutAction } from '../shortcuts.js';

export interface ShortcutsDialogProps {
  /** Whether screen sharing is offered here: its shortcut is listed only then. */
  canShareScreen: boolean;
  onClose: () => void;
}

const ROWS = [
  { action: 'microphone', words: 'shortcuts.microphone' },
  { action: 'camera', words: 'shortcuts.camera' },
  { action: 'screen', words: 'shortcuts.screen' },
  { action: 'help', words: 'shortcuts.help' },
] as const satisfies readonly { action: ShortcutAction; words: string }[];

/** The list of keyboard shortcuts, opened with "?" (a modal dialog: Escape or Close shuts it). */
export function ShortcutsDialog({ canShareScreen, onClose }: ShortcutsDialogProps) {
  const { t } = useI18n();
  const dialog = useModal();
  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="shortcuts-title" onClose={onClose}>
      <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
      <dl class="shortcuts">
        {ROWS.filter(({ action }) => canShareScreen || action !== 'screen').map(({ action, words }) => (
          <div key={action} class="shortcuts__row">
            <dt>
              <kbd>{SHORTCUT_KEYS[action]}</kbd>
            </dt>
            <dd>{t(words)}</dd>
          </div>
        ))}
      </dl>
      <p class="dialog__note">{t('shortcuts.note')}</p>
      <form method="dialog">
        <button type="submit">{t('shortcuts.close')}</button>
      </form>
    </dialog>
  );
}
