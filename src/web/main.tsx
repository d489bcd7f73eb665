import { render } from 'preact';
import { config } from 'zod/mini';
import { App } from './app.js';
import { I18nProvider, applyToDocument, en, initialLanguage, loadCatalog, translator } from './i18n/index.js';

// zod compiles parsers with `new Function` when it may; our Content-Security-Policy forbids eval, so say so
// up front instead of letting zod probe (a console error, and time on the first parse).
config({ jitless: true });

// The first paint is in the page's language: a Chinese reader waits for the small catalog rather than
// seeing English flash by. Should it fail to arrive, the page speaks English.
const language = initialLanguage();
const initial = await loadCatalog(language).then(
  (catalog) => ({ language, catalog }),
  () => ({ language: 'en' as const, catalog: en }),
);
applyToDocument(initial.language, translator(initial.catalog));

const root = document.getElementById('app');
if (root) {
  render(
    <I18nProvider initial={initial}>
      <App />
    </I18nProvider>,
    root,
  );
}
