import type { RegistryTiming } from '../../src/server/shared-state.js';

/** Registry intervals short enough for a test to see a dead node's people go within about a second. */
export const FAST_REGISTRY = {
  heartbeatIntervalMs: 250,
  heartbeatTtlMs: 1_000,
  sweepIntervalMs: 250,
} as const satisfies RegistryTiming;

/** The longest a dead node's people stay in their rooms with {@link FAST_REGISTRY}: TTL plus one sweep. */
export const FAST_EXPIRY_BOUND_MS = FAST_REGISTRY.heartbeatTtlMs + FAST_REGISTRY.sweepIntervalMs;
