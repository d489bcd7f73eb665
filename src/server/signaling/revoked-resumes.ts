import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod/mini';
import type { PeerId } from '../../protocol/index.js';
import type { RedisClient } from '../redis.js';

/**
 * The peers that said `leave`, and when: a resume token issued to one of them before that moment is
 * refused. Keyed by peer id rather than by token, so every token that peer was ever given (each join and
 * resume gives a new one) is revoked at once; a person who comes back gets a new peer id. An entry is kept
 * only as long as a token issued before it could still be alive.
 */
export interface RevokedResumes {
  /** `peerId` left at `leftAt`; remember it until `until` (ms since the epoch). */
  revoke(peerId: PeerId, leftAt: number, until: number): Promise<void>;
  /** When `peerId` left, if it did within the remembered time. */
  leftAt(peerId: PeerId): Promise<number | undefined>;
}

/** This process only: for tests and embedders that give no data dir. */
export class MemoryRevokedResumes implements RevokedResumes {
  protected readonly entries = new Map<PeerId, { leftAt: number; until: number }>();

  revoke(peerId: PeerId, leftAt: number, until: number): Promise<void> {
    this.entries.set(peerId, { leftAt, until });
    return Promise.resolve();
  }

  leftAt(peerId: PeerId): Promise<number | undefined> {
    const entry = this.entries.get(peerId);
    if (entry && entry.until <= Date.now()) this.entries.delete(peerId);
    return Promise.resolve(entry && entry.until > Date.now() ? entry.leftAt : undefined);
  }

  /** Forgets entries whose tokens have all expired. */
  protected prune(now = Date.now()): void {
    for (const [peerId, { until }] of this.entries) if (until <= now) this.entries.delete(peerId);
  }
}

const Stored = z.record(z.string(), z.strictObject({ leftAt: z.number(), until: z.number() }));

/**
 * Memory mode across restarts: the set is kept in a small JSON file in the data dir, rewritten (to a
 * temporary file, then renamed over it, so a crash never leaves half a file) after each `leave`. A set of
 * departures rather than a per-token nonce, because a nonce would itself have to be stored for every live
 * token, whereas this holds only the peers that left within a token's lifetime, and the tokens stay
 * stateless. A `leave` is acknowledged only once the file is written, so a restart right after it cannot
 * bring the token back.
 */
export class FileRevokedResumes extends MemoryRevokedResumes {
  readonly #path: string;
  #writing: Promise<void> = Promise.resolve();

  private constructor(path: string) {
    super();
    this.#path = path;
  }

  /** Reads what an earlier run left in `path` (nothing if there is no such file, or it is unreadable). */
  static async open(path: string): Promise<FileRevokedResumes> {
    const store = new FileRevokedResumes(path);
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const parsed = Stored.safeParse(json);
      if (parsed.success) {
        for (const [peerId, entry] of Object.entries(parsed.data)) store.entries.set(peerId, entry);
      }
      store.prune();
    }
    return store;
  }

  override async revoke(peerId: PeerId, leftAt: number, until: number): Promise<void> {
    await super.revoke(peerId, leftAt, until);
    this.prune();
    const text = JSON.stringify(Object.fromEntries(this.entries));
    // One write at a time, each with the whole set as it is then: the last one to finish is the newest.
    const write = this.#writing
      .catch(() => {})
      .then(async () => {
        await mkdir(dirname(this.#path), { recursive: true });
        const temporary = `${this.#path}.tmp`;
        await writeFile(temporary, text, { mode: 0o600 });
        await rename(temporary, this.#path);
      });
    this.#writing = write;
    await write;
  }
}

/** Across nodes: one key per peer that left, expiring with the last token it could have. */
export class RedisRevokedResumes implements RevokedResumes {
  readonly #redis: RedisClient;

  constructor(redis: RedisClient) {
    this.#redis = redis;
  }

  async revoke(peerId: PeerId, leftAt: number, until: number): Promise<void> {
    const ttl = Math.max(1, until - Date.now());
    await this.#redis.set(key(peerId), String(leftAt), { PX: ttl });
  }

  async leftAt(peerId: PeerId): Promise<number | undefined> {
    const value = await this.#redis.get(key(peerId));
    if (typeof value !== 'string') return undefined;
    const leftAt = Number(value);
    return Number.isFinite(leftAt) ? leftAt : undefined;
  }
}

const key = (peerId: PeerId) => `parley:left:${peerId}`;
