/**
 * Version of the wire protocol in `docs/protocol.md`. A client sends it with `join`; the server refuses a
 * different one with VERSION_MISMATCH so that a stale cached page tells its user to reload instead of
 * misbehaving.
 */
export const PROTOCOL_VERSION = 1;
