import { useI18n } from '../i18n/index.js';
import type { Notice } from '../use-notices.js';

/**
 * What happens in the call, said in passing over the top of the tiles: a polite live region, so a screen
 * reader reads each notice once without interrupting, and nothing to click or dismiss.
 */
export function CallNotices({ notices }: { notices: readonly Notice[] }) {
  const { t } = useI18n();
  return (
    <div class="call-notices" role="status" aria-live="polite">
      {notices.map((notice) => (
        <p key={notice.id} class="call-notices__item">
          {notice.text(t)}
        </p>
      ))}
    </div>
  );
}
