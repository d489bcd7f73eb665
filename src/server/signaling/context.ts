import type { IceSettings } from '../ice/index.js';
import type { Logger } from '../logger.js';
import type { RedisClient } from '../redis.js';
import { NO_METRICS, type SignalingMetrics } from '../metrics.js';
import type { RoomRegistry } from '../rooms/index.js';
import { type PasswordGuessLimit, PasswordGuesses } from './password-guesses.js';
import { PasswordHashing } from './password-hashing.js';
import { Presence } from './presence.js';
import type { RequestLimits } from './rate-limits.js';
import { RefusalLog } from './refusal-log.js';
import { MemoryRevokedResumes, type RevokedResumes } from './revoked-resumes.js';
import { TurnGrants } from './turn-grants.js';
import type { ParleyServer } from './types.js';

export interface SignalingContextOptions {
  io: ParleyServer;
  registry: RoomRegistry;
  logger: Logger;
  /** Signs resume tokens. */
  secret: string;
  maxPeers: number;
  /** Each person's default video upload, kbit/s; default {@link DEFAULT_UPLOAD_BUDGET_KBPS}. */
  uploadBudgetKbps?: number | undefined;
  resumeWindowMs: number;
  /** What joiners are told about STUN, TURN and the transport policy. Default: nothing, any path. */
  ice?: IceSettings | undefined;
  /** Default: counts nothing. */
  metrics?: SignalingMetrics | undefined;
  /** Wrong room passwords allowed per client address and room. Default: `DEFAULT_PASSWORD_GUESS_LIMIT`. */
  passwordGuessLimit?: PasswordGuessLimit | undefined;
  /** Where wrong passwords are counted across nodes (their shared Redis). Default: this process only. */
  passwordGuessStore?: RedisClient | undefined;
  /** Request limits per socket and per address. Default: none. */
  limits?: RequestLimits | undefined;
  /** Where refusals are logged without flooding. Default: a log of its own on `logger`. */
  refusals?: RefusalLog | undefined;
  /** Who left, so their resume tokens are refused. Default: remembered by this process only. */
  revokedResumes?: RevokedResumes | undefined;
}

/** The settings the handlers read; fixed for the gateway's life. */
export interface SignalingSettings {
  /** Signs resume tokens. */
  readonly secret: string;
  readonly maxPeers: number;
  readonly uploadBudgetKbps: number;
  readonly resumeWindowMs: number;
  readonly ice: IceSettings;
}

/**
 * What every handler works with: the gateway's collaborators, made once per gateway and shared by all its
 * sockets. Who is where lives in {@link Presence}; everything else a handler needs is here, so a handler's
 * dependencies are one argument rather than whatever the presence object happened to carry.
 */
export interface SignalingContext {
  readonly io: ParleyServer;
  readonly registry: RoomRegistry;
  readonly logger: Logger;
  readonly metrics: SignalingMetrics;
  /** Request limits per socket and per address; undefined for none. */
  readonly limits: RequestLimits | undefined;
  readonly refusals: RefusalLog;
  readonly config: SignalingSettings;
  /** The ICE servers handed to each socket, TURN credentials reused while good. */
  readonly turnGrants: TurnGrants;
  readonly passwordGuesses: PasswordGuesses;
  readonly passwordHashing: PasswordHashing;
  readonly revokedResumes: RevokedResumes;
  /** Who is in which room through this process, and their departures. */
  readonly presence: Presence;
}

/** As the `--upload-budget` setting's default. */
export const DEFAULT_UPLOAD_BUDGET_KBPS = 2500;

const NO_ICE: IceSettings = { stunPort: 0, turnUrls: [], turnTtl: 86_400, icePolicy: 'all' };

/** The context of one gateway, with the documented defaults for whatever `options` leaves out. */
export function createSignalingContext(options: SignalingContextOptions): SignalingContext {
  const { io, registry, logger } = options;
  const ice = options.ice ?? NO_ICE;
  return {
    io,
    registry,
    logger,
    metrics: options.metrics ?? NO_METRICS,
    limits: options.limits,
    refusals: options.refusals ?? new RefusalLog(logger),
    config: Object.freeze({
      secret: options.secret,
      maxPeers: options.maxPeers,
      uploadBudgetKbps: options.uploadBudgetKbps ?? DEFAULT_UPLOAD_BUDGET_KBPS,
      resumeWindowMs: options.resumeWindowMs,
      ice,
    }),
    turnGrants: new TurnGrants(ice),
    passwordGuesses: new PasswordGuesses(options.passwordGuessLimit, options.passwordGuessStore),
    passwordHashing: new PasswordHashing(),
    revokedResumes: options.revokedResumes ?? new MemoryRevokedResumes(),
    presence: new Presence({ io, registry, logger, resumeWindowMs: options.resumeWindowMs }),
  };
}
