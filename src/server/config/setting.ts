import * as z from 'zod/mini';

/** pino's levels, plus `silent` to log nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The headings of `--help`, in the order they are printed. */
export const SETTING_GROUPS = {
  server: 'Server',
  tls: 'TLS',
  rooms: 'Rooms',
  ice: 'ICE and TURN',
  limits: 'Limits and the edge',
  nodes: 'Several nodes',
  observability: 'Observability',
} as const;
export type Group = keyof typeof SETTING_GROUPS;

/** `list`: comma-separated on the command line, an array in code. `rate`: `600/10s`, a {@link Rate}. */
export type Kind = 'integer' | 'boolean' | 'string' | 'list' | 'rate';

/** One setting, declared once: how it is typed in, checked, documented and typed in code. */
export interface Setting<S extends z.ZodMiniType = z.ZodMiniType> {
  readonly group: Group;
  readonly flag: string;
  readonly env: string;
  readonly kind: Kind;
  /** As a user would type it; `undefined` means unset. */
  readonly default: string | undefined;
  /**
   * The value in code when the setting is unset, for a setting whose "unset" is a value (no TURN URLs is an
   * empty list) rather than `undefined`. `--help` still says "unset".
   */
  readonly whenUnset?: z.infer<S>;
  readonly description: string;
  /** What the setting accepts, in words: the second half of every error about it. */
  readonly allowed: string;
  /** Checks the value once it has its type (from a string, or from an override in code). */
  readonly schema: S;
  /** Never echo the value back in an error. */
  readonly secret?: boolean;
}

export const integer = (min: number, max: number) =>
  z.number().check(z.int(), z.minimum(min), z.maximum(max));
export const text = z.string().check(z.minLength(1));
export const rate = z.strictObject({ points: integer(1, 1_000_000), seconds: integer(1, 3_600) });
export const RATE_ALLOWED = 'a count per window such as 600/10s: 1 to 1000000 per 1 to 3600 seconds';

/** At most `points` requests in each window of `seconds`. Written `600/10s`. */
export type Rate = Frozen<z.infer<typeof rate>>;

/** A value as the frozen configuration holds it: lists and objects read-only. */
export type Frozen<T> = T extends readonly (infer U)[]
  ? readonly U[]
  : T extends object
    ? { readonly [K in keyof T]: T[K] }
    : T;
