import { useI18n } from '../i18n/index.js';

export interface MediaTogglesProps {
  media: { audio: boolean; video: boolean };
  available: { audio: boolean; video: boolean };
  onToggle: (kind: 'audio' | 'video') => void;
}

const TOGGLES = [
  { kind: 'audio', label: 'media.microphone', missing: 'media.noMicrophone' },
  { kind: 'video', label: 'media.camera', missing: 'media.noCamera' },
] as const;

/** The Microphone and Camera toggle buttons; `aria-pressed` carries their state for screen readers. */
export function MediaToggles({ media, available, onToggle }: MediaTogglesProps) {
  const { t } = useI18n();
  return (
    <>
      {TOGGLES.map(({ kind, label, missing }) => (
        <button
          key={kind}
          type="button"
          class="toggle"
          aria-pressed={media[kind]}
          disabled={!available[kind]}
          title={available[kind] ? undefined : t(missing)}
          onClick={() => onToggle(kind)}
        >
          {t(label)}
        </button>
      ))}
    </>
  );
}
