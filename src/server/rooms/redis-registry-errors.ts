export type RedisRegistryErrorCode =
  /** A heartbeat refresh failed; if it keeps failing, other nodes will remove this node's members. */
  | 'HEARTBEAT_FAILED'
  /** The heartbeat had already expired when it was refreshed: other nodes may have removed our members. */
  | 'HEARTBEAT_LAPSED'
  /** A periodic sweep failed; the next one tries again. */
  | 'SWEEP_FAILED'
  /** An `expired` listener threw. */
  | 'LISTENER_FAILED'
  /** Redis answered in a shape the scripts never produce. */
  | 'BAD_REPLY';

export class RedisRegistryError extends Error {
  override readonly name = 'RedisRegistryError';
  readonly code: RedisRegistryErrorCode;

  constructor(code: RedisRegistryErrorCode, message: string, options?: { cause: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A reply to a plain command (not a script) that is not what the command returns. */
export function badReply(command: string, reply: unknown): RedisRegistryError {
  return new RedisRegistryError('BAD_REPLY', `unexpected reply to ${command}: ${JSON.stringify(reply)}`);
}
