import { useEffect, useRef, type MutableRef } from 'preact/hooks';

/**
 * The ref of a `<dialog>` shown as a modal as soon as it is mounted: in the top layer, with the rest of the
 * page inert, focus inside, and Escape closing it (its `close` event is the owner's cue to unmount it).
 */
export function useModal(): MutableRef<HTMLDialogElement | null> {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return dialog;
}
