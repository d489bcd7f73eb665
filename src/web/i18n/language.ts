import type { Catalog } from './catalog.js';

/** The languages the page speaks, as BCP 47 tags (also what `<html lang>` says). */
export type Language = 'en' | 'zh-CN';

/** The Language control's options, each named in its own language. */
export const LANGUAGES: readonly { id: Language; name: string }[] = [
  { id: 'en', name: 'English' },
  { id: 'zh-CN', name: '中文（简体）' },
];

const STORAGE_KEY = 'parley:language';

/**
 * The page's language for a browser's preferred languages (`navigator.languages`, best first): the first
 * one the page speaks. Every Chinese tag reads Simplified Chinese for now; Traditional (zh-TW, zh-HK, zh-Hant)
 * readers get Simplified rather than English until a catalog of their own exists.
 */
export function languageFor(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (primary === 'zh') return 'zh-CN';
    if (primary === 'en') return 'en';
  }
  return 'en';
}

function isLanguage(value: unknown): value is Language {
  return LANGUAGES.some((language) => language.id === value);
}

/** The language chosen with the Language control on an earlier visit, else the browser's preference. */
export function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage may be forbidden (private browsing); the browser's preference still applies.
  }
  return languageFor(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

export function rememberLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private browsing may forbid storage; the choice then lasts until the page closes.
  }
}

/**
 * The catalog of `language`. Each is a chunk of its own, English too, fetched on demand, so that no one
 * downloads a language they do not read.
 */
export async function loadCatalog(language: Language): Promise<Catalog> {
  switch (language) {
    case 'en':
      return (await import('./en.js')).en;
    case 'zh-CN':
      return (await import('./zh-cn.js')).zhCN;
    default:
      return language satisfies never;
  }
}
