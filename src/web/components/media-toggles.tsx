export interface MediaTogglesProps {
  media: { audio: boolean; video: boolean };
  available: { audio: boolean; video: boolean };
  onToggle: (kind: 'audio' | 'video') => void;
}

/** The Microphone and Camera toggle buttons; `aria-pressed` carries their state for screen readers. */
export function MediaToggles({ media, available, onToggle }: MediaTogglesProps) {
  return (
    <>
      <button
        type="button"
        class="toggle"
        aria-pressed={media.audio}
        disabled={!available.audio}
        title={available.audio ? undefined : 'No microphone'}
        onClick={() => onToggle('audio')}
      >
        Microphone
      </button>
      <button
        type="button"
        class="toggle"
        aria-pressed={media.video}
        disabled={!available.video}
        title={available.video ? undefined : 'No camera'}
        onClick={() => onToggle('video')}
      >
        Camera
      </button>
    </>
  );
}
