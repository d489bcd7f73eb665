import { connectivityText } from '../connectivity-text.js';
import { useI18n } from '../i18n/index.js';
import type { ConnectivityState } from '../use-connectivity.js';

/**
 * The connectivity check's answer on the lobby. A live region (role status), so a change is announced
 * without moving focus; it never blocks Join.
 */
export function ConnectivityStatus({ state }: { state: ConnectivityState }) {
  const { t } = useI18n();
  const { headline, detail, severity } = connectivityText(state, t);
  return (
    <div
      class={`connectivity connectivity--${severity}`}
      role="status"
      aria-label={t('lobby.connectionCheck')}
    >
      <p class="connectivity__headline">{headline}</p>
      {detail && <p class="connectivity__detail">{detail}</p>}
    </div>
  );
}
