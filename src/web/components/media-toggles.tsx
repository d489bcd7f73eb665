export interface MediaTogglesProps {
  media: { audio: boolean; video: boolean };
  available: { audio: boolean; video: boolean };
  onToggle: (kind: 'audio' | 'video') => void;
}

const TOGGLES = [
  { kind: 'audio', label: 'Microphone', missing: 'No microphone' },
  { kind: 'video', label: 'Camera', missing: 'No camera' },
] as const;

/** The Microphone and Camera toggle buttons; `aria-pressed` carries their state for screen readers. */
export function MediaToggles({ media, available, onToggle }: MediaTogglesProps) {
  return (
    <>
      {TOGGLES.map(({ kind, label, missing }) => (
        <button
          key={kind}
          type="button"
          class="toggle"
          aria-pressed={media[kind]}
          disabled={!available[kind]}
          title={available[kind] ? undefined : missing}
          onClick={() => onToggle(kind)}
        >
          {label}
        </button>
      ))}
    </>
  );
}
