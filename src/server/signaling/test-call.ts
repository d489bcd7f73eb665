import type { Ack, TestCallResult, TestCallStatusResult } from '../../protocol/index.js';
import { addressKey, clientAddress } from './client-address.js';
import type { SignalingContext } from './context.js';
import { rateLimited, refuse } from './register.js';
import type { ParleySocket } from './types.js';

/** `test-call-status`: whether the lobby should offer a Test call. */
export function testCallStatus(context: SignalingContext): Promise<Ack<TestCallStatusResult>> {
  return Promise.resolve({ ok: true, enabled: context.testCalls?.enabled ?? false });
}

/**
 * `test-call`: an echo peer for this socket, waiting in a private room (see `TestCalls`); the page then
 * joins that room with the password in the answer.
 */
export async function testCall(
  context: SignalingContext,
  socket: ParleySocket,
): Promise<Ack<TestCallResult>> {
  const { testCalls } = context;
  if (!testCalls) return refuse('UNAVAILABLE', 'Test calls are turned off on this server.');
  const started = await testCalls.begin(socket.id, addressKey(clientAddress(socket)));
  if (started.ok) {
    context.logger.info({ room: started.room }, 'test call started');
    return started;
  }
  switch (started.reason) {
    case 'off':
      return refuse('UNAVAILABLE', 'Test calls are turned off on this server.');
    case 'busy':
      return refuse('TEST_CALLS_BUSY');
    case 'rate-limited':
      context.refusals.note('rate-limit test-call per ip');
      return rateLimited('test-call', started.limited);
    case 'failed':
      return refuse('UNAVAILABLE', 'The test call could not be started. Try again in a few seconds.');
    default:
      return started satisfies never;
  }
}
