/** A piece of a chat line: text to show as it is, or a link to show as its text and open at `href`. */
export type ChatSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/**
 * Where a link may start and how far it may run. Only `http://` and `https://`, never after a letter or
 * digit (`xhttp://`), so `javascript:`, `data:` and `file:` never become links, nor does a bare
 * `www.example.com` (a guess at a scheme would be a guess at where a click goes).
 *
 * A link ends at white space, at anything a URL cannot hold unescaped (`<`, `>`, `"`, a backtick), at
 * controls and invisible format characters (a bidi override inside a link would make its text read as
 * another address), and at CJK text and punctuation: in Chinese and Japanese the next word or the `。，）」`
 * often follows a link without a space. A path in Chinese characters is therefore cut where they begin;
 * browsers copy such addresses percent-encoded, so a pasted link keeps its whole path.
 */
const LINK_RUN =
  /\bhttps?:\/\/[^\s<>"`\p{C}\p{Z}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}\u2014\u2018-\u201f\u2026\u3000-\u303f\ufe10-\ufe1f\ufe30-\ufe4f\uff00-\uffef]*/giu;

/** Punctuation that ends a sentence or a clause rather than the address it follows. */
const TRAILING = new Set(['.', ',', ';', ':', '!', '?', "'", '*']);
/** Closing brackets, which belong to the link only when it opens them too (`.../Foo_(bar)`). */
const OPENING: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

/**
 * Splits a chat line into text and links, for a page that shows the text as text and the links as links.
 * The segments, put back together, are `text` exactly; no segment is empty, and no two text segments are
 * neighbours.
 *
 * A link's `href` is the address as `new URL` reads it (scheme and host in lower case, the host of an
 * internationalised name in punycode, the rest percent-encoded), so it always starts with `http://` or
 * `https://`. Some addresses stay text: one that does not parse, one whose host is missing, and one that
 * carries a user name or password (`https://bank.example@evil.example` goes to `evil.example`).
 *
 * @example
 * linkify('见https://example.com/Foo_(bar)。')
 * // → [{ kind: 'text', text: '见' },
 * //    { kind: 'link', text: 'https://example.com/Foo_(bar)', href: 'https://example.com/Foo_(bar)' },
 * //    { kind: 'text', text: '。' }]
 */
export function linkify(text: string): ChatSegment[] {
  const segments: ChatSegment[] = [];
  let shown = 0;
  for (const match of text.matchAll(LINK_RUN)) {
    const candidate = withoutTrailing(match[0]);
    const href = linkHref(candidate);
    if (href === undefined) continue;
    if (match.index > shown) segments.push({ kind: 'text', text: text.slice(shown, match.index) });
    segments.push({ kind: 'link', text: candidate, href });
    shown = match.index + candidate.length;
  }
  if (shown < text.length) segments.push({ kind: 'text', text: text.slice(shown) });
  return segments;
}

/** `run` without the punctuation, and the closing brackets it does not open, that end it. */
function withoutTrailing(run: string): string {
  let end = run.length;
  for (;;) {
    // Every character looked at here is ASCII, so cutting one code unit never splits a character.
    const last = run[end - 1] ?? '';
    const opening = OPENING[last];
    const cut =
      TRAILING.has(last) || (opening !== undefined && count(run, opening, end) < count(run, last, end));
    if (!cut) return run.slice(0, end);
    end -= 1;
  }
}

function count(text: string, char: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (text[i] === char) n++;
  return n;
}

/** Where a click on `candidate` goes, or `undefined` when it should stay text. */
function linkHref(candidate: string): string | undefined {
  const authority = /^https?:\/\/([^/?#\\]*)/i.exec(candidate)?.[1] ?? '';
  // `@` hides the real host behind a user name; a missing host lets the parser take one from the path.
  if (authority === '' || authority.includes('@')) return undefined;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '' || !/[\p{L}\p{N}]/u.test(url.hostname)) return undefined;
  return url.href;
}
