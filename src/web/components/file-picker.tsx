import { LineIcon } from './line-icon.js';
import { useRef } from 'preact/hooks';

export interface FilePickerProps {
  /** The button's name ("Send file", "Send a file to Ann"); it shows as a paperclip with this tooltip. */
  label: string;
  disabled?: boolean;
  class?: string;
  /** Shows the label as the button's text (in a menu) instead of a paperclip. */
  text?: boolean;
  onFiles: (files: readonly File[]) => void;
}

const PAPERCLIP =
  'M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9';

/** A paperclip button that opens the browser's file chooser (several files at once). */
export function FilePicker({
  label,
  disabled,
  class: className = 'icon-button',
  text = false,
  onFiles,
}: FilePickerProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        class={className}
        aria-label={text ? undefined : label}
        title={text ? undefined : label}
        disabled={disabled}
        onClick={() => input.current?.click()}
      >
        {text ? label : <LineIcon path={PAPERCLIP} />}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        onChange={(event) => {
          const files = [...(event.currentTarget.files ?? [])];
          // Cleared, so that choosing the same file again sends it again.
          event.currentTarget.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </>
  );
}
