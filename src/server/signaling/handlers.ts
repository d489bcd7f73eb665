import { CLIENT_EVENT_NAMES, type ClientToServerEvents } from '../../protocol/index.js';
import type { SignalingContext } from './context.js';
import { ice } from './ice.js';
import { join } from './join.js';
import { leave } from './leave.js';
import { type Handler, register } from './register.js';
import { signal } from './signal.js';
import { testCall, testCallStatus } from './test-call.js';
import type { ParleySocket } from './types.js';

/**
 * One handler for each client→server event of the protocol. Keyed by the protocol's own event map, so that
 * an event added there without a handler here, or a handler under a misspelt name, does not compile.
 */
export type HandlerTable = { readonly [E in keyof ClientToServerEvents]: Handler<E> };

/** `satisfies` rather than a type annotation, so the type test can see the keys written here. */
export const handlers = {
  join,
  leave,
  signal,
  ice,
  'test-call-status': testCallStatus,
  'test-call': testCall,
} satisfies HandlerTable;

/** Gives `socket` every handler of the table, each through the wrapper that parses its payload first. */
export function registerHandlers(
  context: SignalingContext,
  socket: ParleySocket,
  table: HandlerTable = handlers,
): void {
  for (const event of CLIENT_EVENT_NAMES) registerEntry(context, socket, table, event);
}

// Generic in the event, so that `table[event]` is the handler of that event rather than the union of all.
function registerEntry<E extends keyof ClientToServerEvents>(
  context: SignalingContext,
  socket: ParleySocket,
  table: HandlerTable,
  event: E,
): void {
  register(context, socket, event, table[event]);
}
