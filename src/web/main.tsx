import { render } from 'preact';
import { config } from 'zod/mini';
import { App } from './app.js';
import {
  I18nProvider,
  applyToDocument,
  initialLanguage,
  loadCatalog,
  translator,
  type LoadedLanguage,
} from './i18n/index.js';

// zod compiles parsers with `new Function` when it may; our Content-Security-Policy forbids eval, so say so
// up front instead of letting zod probe (a console error, and time on the first parse).
config({ jitless: true });

// The first paint is in the page's language: each reader waits for their own small catalog (a Chinese
// reader never sees English flash by, nor downloads it). Should it fail to arrive, the page speaks English.
// Not a top-level await: a catalog chunk imports from this script, which must have finished evaluating.
const language = initialLanguage();
void loadCatalog(language)
  .then(
    (catalog) => ({ language, catalog }),
    async () => ({ language: 'en' as const, catalog: await loadCatalog('en') }),
  )
  .then(start, () => {
    // Not even English arrived (the server went away mid-load): a line in both languages, not a blank page.
    const root = document.getElementById('app');
    if (root) root.textContent = 'Parley could not load: reload the page. / Parley 加载失败：请刷新页面。';
  });

function start(initial: LoadedLanguage): void {
  const root = document.getElementById('app');
  if (!root) return;
  applyToDocument(initial.language, translator(initial.catalog));
  render(
    <I18nProvider initial={initial}>
      <App />
    </I18nProvider>,
    root,
  );
}
