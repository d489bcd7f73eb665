import type { LinkStats } from '../../call/index.js';
import { useI18n } from '../i18n/index.js';
import { linkDetails, pathText } from '../link-text.js';

/**
 * The path and quality of one remote person's connection, in a tile's corner: signal bars (three for good,
 * two for fair, one for poor) and the path in two words. The figures are in the tooltip, and spoken in
 * full to screen readers.
 */
export function LinkIndicator({ link }: { link: LinkStats }) {
  const { t } = useI18n();
  if (!link.path) return null;
  const details = linkDetails(link, t);
  const bars = link.quality === 'good' ? 3 : link.quality === 'fair' ? 2 : link.quality === 'poor' ? 1 : 0;
  return (
    <p class={`link link--${link.quality ?? 'unknown'}`} title={details}>
      <span class="link__bars" aria-hidden="true">
        {[1, 2, 3].map((bar) => (
          <span key={bar} class={`link__bar${bar <= bars ? ' link__bar--on' : ''}`} />
        ))}
      </span>
      <span aria-hidden="true">{pathText(link.path, t)}</span>
      <span class="visually-hidden">{details}</span>
    </p>
  );
}
