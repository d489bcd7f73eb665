import type { RelayStatus } from '../call/index.js';
import type { Translate } from './i18n/index.js';
import type { ConnectivityState } from './use-connectivity.js';

export type Severity = 'pending' | 'ok' | 'warn' | 'bad';

/** What the lobby says about the connectivity check: a headline, a sentence of detail, and how it looks. */
export interface ConnectivityText {
  headline: string;
  detail: string | undefined;
  severity: Severity;
}

/** The one place the check's outcomes are worded; the README's table repeats the English headlines. */
export function connectivityText(state: ConnectivityState, t: Translate): ConnectivityText {
  switch (state.kind) {
    case 'checking':
      return { headline: t('check.checking'), detail: undefined, severity: 'pending' };
    case 'offline':
      return { headline: t('check.noNetwork'), detail: t('check.offlineDetail'), severity: 'bad' };
    case 'no-server':
      return { headline: t('check.noNetwork'), detail: t('check.noServerDetail'), severity: 'bad' };
    case 'limited':
      return {
        headline: t('check.limited'),
        detail: t('check.limitedDetail', { serverMessage: state.error.message }),
        severity: 'warn',
      };
    case 'done':
      break;
    default:
      return state satisfies never;
  }
  const { verdict, relay } = state.result;
  switch (verdict) {
    case 'direct':
      return {
        headline: t('check.direct'),
        detail: relayAside(relay, t),
        severity: relay === 'works' || relay === 'none' ? 'ok' : 'warn',
      };
    case 'relay-only':
      return { headline: t('check.relayOnly'), detail: t('check.relayOnlyDetail'), severity: 'ok' };
    case 'relay-unreachable':
      return {
        headline: t('check.relayUnreachable'),
        detail: t('check.relayUnreachableDetail'),
        severity: 'bad',
      };
    case 'relay-refused':
      return { headline: t('check.relayRefused'), detail: t('check.relayRefusedDetail'), severity: 'bad' };
    case 'offline':
      return { headline: t('check.noNetwork'), detail: t('check.offlineVerdictDetail'), severity: 'bad' };
    default:
      return verdict satisfies never;
  }
}

/** With a direct path, a broken relay matters only to people who cannot reach you directly. */
function relayAside(relay: RelayStatus, t: Translate): string | undefined {
  switch (relay) {
    case 'works':
    case 'none':
      return undefined;
    case 'refused':
      return t('check.asideRefused');
    case 'unreachable':
      return t('check.asideUnreachable');
    default:
      return relay satisfies never;
  }
}
