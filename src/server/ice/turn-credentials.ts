/**
 * Short-lived TURN credentials in the "TURN REST API" scheme (draft-uberti-behave-turn-rest-00, §2.2), the
 * one coturn checks with `use-auth-secret` / `static-auth-secret`: the username is
 * `<expiry as unix seconds>:<id>` and the password is `base64(HMAC-SHA1(secret, username))`. coturn
 * recomputes the password from the username and refuses a username whose expiry has passed, so Parley and
 * coturn share one secret and nothing else: no user database, and a leaked credential dies on its own.
 */
import { createHmac } from 'node:crypto';
import type { IceServer } from '../../protocol/index.js';

export interface MintOptions {
  /** The `static-auth-secret` coturn is configured with. */
  secret: string;
  /** How long the credential stays valid, in seconds. */
  ttlSeconds: number;
  /** Who the credential is for (a peer id); it ends up in coturn's logs, so never a name or an address. */
  id: string;
  /** The current time in milliseconds since the epoch (tests pass a fixed one). */
  now?: number;
}

export interface TurnCredentials {
  username: string;
  credential: string;
  /** When coturn starts refusing it, in milliseconds since the epoch. */
  expiresAt: number;
}

/**
 * Mints one TURN credential.
 *
 * @example
 * mintTurnCredentials({ secret: 'secret', ttlSeconds: 3600, id: 'peer', now: 1_699_996_400_000 })
 * // → { username: '1700000000:peer', credential: 'm9GnlZWvaZKjLjGseKws6UpgiA0=', expiresAt: 1_700_000_000_000 }
 */
export function mintTurnCredentials({
  secret,
  ttlSeconds,
  id,
  now = Date.now(),
}: MintOptions): TurnCredentials {
  if (secret === '') throw new TypeError('The TURN secret is empty.');
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new TypeError(
      `The TURN credential lifetime must be a positive whole number of seconds: ${ttlSeconds}`,
    );
  }
  // The username's ':' separates the expiry from the id; coturn reads the expiry up to the first ':'.
  if (id === '' || id.includes(':'))
    throw new TypeError(`Not a usable TURN credential id: ${JSON.stringify(id)}`);
  const expiry = Math.floor(now / 1000) + ttlSeconds;
  const username = `${expiry}:${id}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt: expiry * 1000 };
}

export interface IceServersOptions {
  /** `stun:` / `stuns:` URLs, handed out as they are. */
  stunUrls: readonly string[];
  /** `turn:` / `turns:` URLs. Without a secret there is no way to authenticate, so they are left out. */
  turnUrls: readonly string[];
  turnSecret?: string | undefined;
  ttlSeconds: number;
  peerId: string;
  now?: number;
}

/**
 * The `iceServers` a client gets on join: one entry with the STUN URLs (no credentials) and one with the
 * TURN URLs and credentials minted for this peer. The secret itself never leaves the server.
 *
 * @example
 * iceServersFor({ stunUrls: ['stun:turn.example.org:3478'], turnUrls: ['turn:turn.example.org:3478'],
 *   turnSecret, ttlSeconds: 86_400, peerId })
 * // → [{ urls: ['stun:…'] }, { urls: ['turn:…'], username: '1700086400:<peerId>', credential: '…' }]
 */
export function iceServersFor({
  stunUrls,
  turnUrls,
  turnSecret,
  ttlSeconds,
  peerId,
  now,
}: IceServersOptions): IceServer[] {
  const servers: IceServer[] = [];
  if (stunUrls.length > 0) servers.push({ urls: [...stunUrls] });
  if (turnUrls.length > 0 && turnSecret !== undefined && turnSecret !== '') {
    const { username, credential } = mintTurnCredentials({
      secret: turnSecret,
      ttlSeconds,
      id: peerId,
      ...(now === undefined ? {} : { now }),
    });
    servers.push({ urls: [...turnUrls], username, credential });
  }
  return servers;
}
