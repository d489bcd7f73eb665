import type { LinkPath, LinkQuality, LinkStats } from '../call/index.js';

/** "Direct · UDP", or "Relayed · TCP" where TCP is how this browser reaches its relay. */
export function pathText(path: LinkPath): string {
  if (!path.relayed) return `Direct · ${path.protocol.toUpperCase()}`;
  return `Relayed · ${(path.relayProtocol ?? path.protocol).toUpperCase()}`;
}

const QUALITY_WORDS: Record<LinkQuality, string> = { good: 'Good', fair: 'Fair', poor: 'Poor' };

/** The figures behind the indicator, for the tooltip and for screen readers. */
export function linkDetails(link: LinkStats): string {
  const quality = link.quality
    ? `${QUALITY_WORDS[link.quality]} connection`
    : 'Connection quality not measured yet';
  const rtt =
    link.rttMs === undefined ? 'round trip not measured yet' : `round trip ${Math.round(link.rttMs)} ms`;
  const loss =
    link.lossPercent === undefined
      ? 'packet loss not measured yet'
      : `packet loss ${percent(link.lossPercent)}`;
  const path = link.path === undefined ? '' : `, ${pathWords(link.path)}`;
  return `${quality}${path}: ${rtt}, ${loss}.`;
}

function pathWords(path: LinkPath): string {
  if (!path.relayed) return `direct over ${path.protocol.toUpperCase()}`;
  return path.relayProtocol
    ? `relayed, ${path.relayProtocol.toUpperCase()} to the relay`
    : `relayed by the other side's relay, ${path.protocol.toUpperCase()}`;
}

/** Whole percent, but a tenth for small non-zero figures: 0.4% is worth telling from 0%. */
function percent(value: number): string {
  if (value === 0) return '0%';
  return value < 1 ? `${value.toFixed(1)}%` : `${Math.round(value)}%`;
}
