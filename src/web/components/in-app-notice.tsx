import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.js';
import type { InAppBrowser } from '../in-app-browser.js';

/**
 * Shown first on the lobby inside an app's built-in browser (WeChat, QQ, …): how to open the page in the
 * system browser, and the link ready to copy. Joining is still offered, for the apps that allow calls.
 */
export function InAppNotice({ app, link }: { app: InAppBrowser; link: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const copy = () => {
    const done = () => setCopied(true);
    // Some WebViews have no async clipboard: select the link and copy it the old way.
    const field = document.getElementById('in-app-link');
    if (navigator.clipboard?.writeText) {
      void navigator.clipboard.writeText(link).then(done, () => copyBySelection(field) && done());
    } else if (copyBySelection(field)) {
      done();
    }
  };
  return (
    <section class="in-app" role="alert">
      <p class="in-app__title">{t('inApp.title', { app: t(`inApp.app.${app}`) })}</p>
      <p>{t('inApp.body')}</p>
      <span class="field__row">
        <input
          id="in-app-link"
          type="text"
          readOnly
          value={link}
          aria-label={t('inApp.link')}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" class="secondary" onClick={copy}>
          {copied ? t('inApp.copied') : t('inApp.copy')}
        </button>
      </span>
    </section>
  );
}

function copyBySelection(field: HTMLElement | null): boolean {
  if (!(field instanceof HTMLInputElement)) return false;
  field.select();
  // Deprecated, but the one way left in WebViews without navigator.clipboard.
  return document.execCommand('copy');
}
