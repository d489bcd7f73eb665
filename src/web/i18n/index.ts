export type {
  Catalog,
  MessageKey,
  PlainKey,
  ParameterisedKey,
  Translate,
  ErrorKey,
  LocalErrorCode,
} from './catalog.js';
export { LOCAL_ERROR_CODES, translator } from './catalog.js';
export { LANGUAGES, initialLanguage, languageFor, loadCatalog, type Language } from './language.js';
export { I18nProvider, applyToDocument, useI18n, type I18n, type LoadedLanguage } from './context.js';
