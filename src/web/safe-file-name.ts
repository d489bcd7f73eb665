/** Longest name a saved file gets, in UTF-16 code units: file systems allow 255 bytes. */
const SAFE_NAME_MAX = 120;

/**
 * A name the receiver's browser can save the file under: the sender's name without folders, control and
 * bidirectional-override characters, characters Windows refuses (`<>:"/\|?*`), leading dots (hidden files)
 * and trailing dots and spaces, shortened keeping the extension. "file" when nothing is left.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[/\\]/).at(-1) ?? '';
  const cleaned = base
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (!cleaned) return 'file';
  if (cleaned.length <= SAFE_NAME_MAX) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 && cleaned.length - dot <= 16 ? cleaned.slice(dot) : '';
  // Not half of a surrogate pair at the cut, nor a dot or space the cut left at the end.
  const stem = cleaned.slice(0, SAFE_NAME_MAX - extension.length).replace(/[\uD800-\uDBFF]$/, '');
  return (stem + extension).replace(/[.\s]+$/, '');
}
