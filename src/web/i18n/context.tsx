import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { translator, type Catalog, type Translate } from './catalog.js';
import { loadCatalog, rememberLanguage, type Language } from './language.js';

/** The page's language, its words, and the way to change it. */
export interface I18n {
  language: Language;
  t: Translate;
  /** A chat line's time ("14:05"), the way people who read `language` write it. */
  formatTime: (epochMs: number) => string;
  /** Switches the page at once (fetching the catalog first if needed) and remembers the choice. */
  setLanguage: (language: Language) => void;
}

/** What each language's catalog is, once loaded. */
export interface LoadedLanguage {
  language: Language;
  catalog: Catalog;
}

function timeFormat(language: Language): Intl.DateTimeFormat {
  // The browser's own locale where it is a variant of the page's language (en-GB writes 14:05, en-US
  // 02:05 PM); the page's language otherwise.
  const own = typeof navigator === 'undefined' ? undefined : navigator.language;
  const locale = own?.toLowerCase().startsWith(language.slice(0, 2).toLowerCase()) ? own : language;
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
}

function i18nFor({ language, catalog }: LoadedLanguage, setLanguage: (language: Language) => void): I18n {
  const time = timeFormat(language);
  return { language, t: translator(catalog), formatTime: (ms) => time.format(ms), setLanguage };
}

/** Empty until the provider holds a loaded catalog: the page is drawn only once its words are there. */
const I18nContext = createContext<I18n | undefined>(undefined);

/** The page's words in the language chosen; every component that shows text reads them here. */
export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n() is called outside <I18nProvider>');
  return i18n;
}

/**
 * Says the page's language to the document: `<html lang>` (for fonts and screen readers) and its
 * description. The tab's title belongs to the screen shown (`useTabTitle`).
 */
export function applyToDocument(language: Language, t: Translate): void {
  document.documentElement.lang = language;
  document.querySelector('meta[name="description"]')?.setAttribute('content', t('page.description'));
}

/**
 * Holds the page's language. A change re-renders the tree in place: the call, its connections and its
 * media are untouched.
 */
export function I18nProvider({
  initial,
  children,
}: {
  initial: LoadedLanguage;
  children: ComponentChildren;
}) {
  const [loaded, setLoaded] = useState(initial);
  /** The latest choice: a slower catalog that arrives after a newer choice is dropped. */
  const wanted = useRef(initial.language);
  const setLanguage = useCallback((language: Language) => {
    wanted.current = language;
    rememberLanguage(language);
    void loadCatalog(language).then(
      (catalog) => {
        if (wanted.current === language) setLoaded({ language, catalog });
      },
      (error: unknown) => console.warn('Could not load the catalog of', language, error),
    );
  }, []);
  const i18n = useMemo(() => i18nFor(loaded, setLanguage), [loaded, setLanguage]);
  // In the commit that paints the new words, not after it: text and `lang` never disagree.
  useLayoutEffect(() => applyToDocument(i18n.language, i18n.t), [i18n]);
  return <I18nContext.Provider value={i18n}>{children}</I18nContext.Provider>;
}
