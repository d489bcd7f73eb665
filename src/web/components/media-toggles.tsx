import { useI18n } from '../i18n/index.js';
import { SHORTCUT_KEYS } from '../shortcuts.js';

export interface MediaTogglesProps {
  media: { audio: boolean; video: boolean };
  available: { audio: boolean; video: boolean };
  onToggle: (kind: 'audio' | 'video') => void;
  /** The keyboard shortcuts work here (in a call): the tooltips name them. */
  shortcuts?: boolean;
}

const TOGGLES = [
  { kind: 'audio', label: 'media.microphone', missing: 'media.noMicrophone', key: SHORTCUT_KEYS.microphone },
  { kind: 'video', label: 'media.camera', missing: 'media.noCamera', key: SHORTCUT_KEYS.camera },
] as const;

/** The Microphone and Camera toggle buttons; `aria-pressed` carries their state for screen readers. */
export function MediaToggles({ media, available, onToggle, shortcuts = false }: MediaTogglesProps) {
  const { t } = useI18n();
  return (
    <>
      {TOGGLES.map(({ kind, label, missing, key }) => (
        <button
          key={kind}
          type="button"
          class="toggle"
          aria-pressed={media[kind]}
          disabled={!available[kind]}
          title={
            !available[kind]
              ? t(missing)
              : shortcuts
                ? t('shortcuts.tooltip', { action: t(label), key })
                : undefined
          }
          aria-keyshortcuts={available[kind] && shortcuts ? key : undefined}
          onClick={() => onToggle(kind)}
        >
          {t(label)}
        </button>
      ))}
    </>
  );
}
