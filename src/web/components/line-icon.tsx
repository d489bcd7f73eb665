/**
 * A small line icon drawn inline from one SVG path (a 24×24 grid, round ends): no icon font or image to
 * download, and none of the emoji fonts that not every machine has. Hidden from screen readers: the
 * button that holds it carries the name.
 */
export function LineIcon({ path, size = 18, weight = 2 }: { path: string; size?: number; weight?: number }) {
  return (
    <svg viewBox="0 0 24 24" width={size} height={size} aria-hidden="true" focusable="false">
      <path
        d={path}
        fill="none"
        stroke="currentColor"
        stroke-width={weight}
        stroke-linecap="round"
        stroke-linejoin="round"
      />
    </svg>
  );
}
