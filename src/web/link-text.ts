import type { LinkPath, LinkQuality, LinkStats } from '../call/index.js';
import type { MessageKey, Translate } from './i18n/index.js';

/** "Direct · UDP", or "Relayed · TCP" where TCP is how this browser reaches its relay. */
export function pathText(path: LinkPath, t: Translate): string {
  if (!path.relayed) return t('link.direct', { protocol: path.protocol.toUpperCase() });
  return t('link.relayed', { protocol: (path.relayProtocol ?? path.protocol).toUpperCase() });
}

const QUALITY_WORDS = { good: 'link.good', fair: 'link.fair', poor: 'link.poor' } as const satisfies Record<
  LinkQuality,
  MessageKey
>;

/** The figures behind the indicator, for the tooltip and for screen readers. */
export function linkDetails(link: LinkStats, t: Translate): string {
  return t('link.details', {
    quality: link.quality ? t(QUALITY_WORDS[link.quality]) : t('link.qualityUnknown'),
    path: link.path === undefined ? '' : pathWords(link.path, t),
    rtt: link.rttMs === undefined ? t('link.rttUnknown') : t('link.rtt', { ms: Math.round(link.rttMs) }),
    loss:
      link.lossPercent === undefined
        ? t('link.lossUnknown')
        : t('link.loss', { percent: percent(link.lossPercent) }),
  });
}

function pathWords(path: LinkPath, t: Translate): string {
  if (!path.relayed) return t('link.pathDirect', { protocol: path.protocol.toUpperCase() });
  return path.relayProtocol
    ? t('link.pathRelayed', { protocol: path.relayProtocol.toUpperCase() })
    : t('link.pathRemoteRelay', { protocol: path.protocol.toUpperCase() });
}

/** Whole percent, but a tenth for small non-zero figures: 0.4% is worth telling from 0%. */
function percent(value: number): string {
  if (value === 0) return '0%';
  return value < 1 ? `${value.toFixed(1)}%` : `${Math.round(value)}%`;
}
