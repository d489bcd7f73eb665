import * as z from 'zod/mini';
import { RoomName, RoomPassword } from './names.js';

/** Whether this server offers a Test call now (`PARLEY_TEST_CALLS` above 0): the lobby shows its button. */
export const TestCallStatusRequest = z.strictObject({});
export const TestCallStatusResult = z.strictObject({ enabled: z.boolean() });
export type TestCallStatusResult = z.infer<typeof TestCallStatusResult>;

/**
 * Ask for an echo peer: the server starts one in a private room of its own, locked with a password only
 * this answer carries, and the asker joins that room with `join` as for any call. The echo peer sends back
 * what it receives (audio, video, data-channel messages) and leaves after `maxMs`, or once the asker has
 * left or disconnected. Refused with TEST_CALLS_BUSY when the server's limit of test calls at once is
 * reached, RATE_LIMITED when this address asked too often, UNAVAILABLE when test calls are off.
 */
export const TestCallRequest = z.strictObject({});
export const TestCallResult = z.strictObject({
  room: RoomName,
  password: RoomPassword,
  /** How long the echo peer stays, from now. */
  maxMs: z.number().check(z.int(), z.positive()),
});
export type TestCallResult = z.infer<typeof TestCallResult>;
