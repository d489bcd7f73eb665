import type { RelayStatus } from '../call/index.js';
import { errorText } from './error-text.js';
import type { ConnectivityState } from './use-connectivity.js';

export type Severity = 'pending' | 'ok' | 'warn' | 'bad';

/** What the lobby says about the connectivity check: a headline, a sentence of detail, and how it looks. */
export interface ConnectivityText {
  headline: string;
  detail: string | undefined;
  severity: Severity;
}

const NO_NETWORK = 'No network.';

/** The one place the check's outcomes are worded; the README's table repeats these headlines. */
export function connectivityText(state: ConnectivityState): ConnectivityText {
  switch (state.kind) {
    case 'checking':
      return { headline: 'Checking your connection…', detail: undefined, severity: 'pending' };
    case 'offline':
      return {
        headline: NO_NETWORK,
        detail: 'This device is offline. Check its Wi-Fi or cable.',
        severity: 'bad',
      };
    case 'no-server':
      return {
        headline: NO_NETWORK,
        detail: 'The Parley server cannot be reached. Check your connection, or try again later.',
        severity: 'bad',
      };
    case 'limited':
      return {
        headline: 'The connection was not checked.',
        detail: `${errorText(state.error.code, { message: state.error.message })} You can still join.`,
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
        headline: 'A direct connection is possible.',
        detail: relayAside(relay),
        severity: relay === 'works' || relay === 'none' ? 'ok' : 'warn',
      };
    case 'relay-only':
      return {
        headline: 'Only a relay will work.',
        detail: 'Your call will go through the relay server, which works but may add a little delay.',
        severity: 'ok',
      };
    case 'relay-unreachable':
      return {
        headline: 'The relay server is unreachable.',
        detail:
          'Calls need it here and will not connect. A firewall may be blocking it; tell whoever runs this server.',
        severity: 'bad',
      };
    case 'relay-refused':
      return {
        headline: 'The relay server refused the credentials.',
        detail: 'Calls need it here and will not connect. Tell whoever runs this server (its TURN secret).',
        severity: 'bad',
      };
    case 'offline':
      return {
        headline: NO_NETWORK,
        detail: 'Your browser found no network to connect through.',
        severity: 'bad',
      };
    default:
      return verdict satisfies never;
  }
}

/** With a direct path, a broken relay matters only to people who cannot reach you directly. */
function relayAside(relay: RelayStatus): string | undefined {
  switch (relay) {
    case 'works':
    case 'none':
      return undefined;
    case 'refused':
      return 'The relay server refused the credentials, so people behind strict firewalls may not reach you.';
    case 'unreachable':
      return 'The relay server did not answer, so people behind strict firewalls may not reach you.';
    default:
      return relay satisfies never;
  }
}
