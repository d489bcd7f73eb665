import { describe, expectTypeOf, it } from 'vitest';
import type { ProtocolError } from './errors.js';
import type {
  Ack,
  ClientEventName,
  ClientToServerEvents,
  EventPayload,
  EventResult,
  IceResult,
  JoinRequest,
  JoinResult,
  PeerJoined,
  PeerLeft,
  ServerEventName,
  ServerEventPayload,
  ServerToClientEvents,
  SignalDelivery,
  SignalRequest,
} from './events.js';

/**
 * The socket.io event maps are derived from the schemas; these checks run in `tsc --noEmit` (vitest only
 * sees `expectTypeOf` as a no-op), so a map that drifts from its schemas, or one that lets any name in,
 * fails the typecheck.
 */
describe('the protocol event maps', () => {
  it('names exactly the client events, each with its payload and acknowledgement', () => {
    expectTypeOf<ClientEventName>().toEqualTypeOf<
      'join' | 'leave' | 'signal' | 'ice' | 'test-call-status' | 'test-call'
    >();
    expectTypeOf<keyof ClientToServerEvents>().toEqualTypeOf<ClientEventName>();
    expectTypeOf<EventPayload<'join'>>().toEqualTypeOf<JoinRequest>();
    expectTypeOf<EventPayload<'signal'>>().toEqualTypeOf<SignalRequest>();
    expectTypeOf<EventResult<'join'>>().toEqualTypeOf<JoinResult>();
    expectTypeOf<EventResult<'ice'>>().toEqualTypeOf<IceResult>();
    expectTypeOf<Parameters<ClientToServerEvents['join']>[0]>().toEqualTypeOf<JoinRequest>();
    expectTypeOf<Parameters<Parameters<ClientToServerEvents['join']>[1]>[0]>().toEqualTypeOf<
      Ack<JoinResult>
    >();
  });

  it('names exactly the server events, each with its payload', () => {
    expectTypeOf<ServerEventName>().toEqualTypeOf<'peer-joined' | 'peer-left' | 'signal'>();
    expectTypeOf<keyof ServerToClientEvents>().toEqualTypeOf<ServerEventName>();
    expectTypeOf<ServerEventPayload<'peer-joined'>>().toEqualTypeOf<PeerJoined>();
    expectTypeOf<ServerEventPayload<'peer-left'>>().toEqualTypeOf<PeerLeft>();
    expectTypeOf<Parameters<ServerToClientEvents['signal']>[0]>().toEqualTypeOf<SignalDelivery>();
  });

  it('rejects a misspelt event name', () => {
    // @ts-expect-error: there is no `joined` event, only `join`.
    expectTypeOf<EventPayload<'joined'>>().toBeObject();
    // @ts-expect-error: the server pushes `peer-left`, not `peer-leave`.
    expectTypeOf<ServerEventPayload<'peer-leave'>>().toBeObject();
    // @ts-expect-error: the map has no index signature.
    expectTypeOf<ClientToServerEvents['joined']>().toBeFunction();
  });

  it('gives an acknowledgement either the result or a coded error', () => {
    expectTypeOf<Extract<Ack<JoinResult>, { ok: false }>['error']>().toEqualTypeOf<ProtocolError>();
    expectTypeOf<Extract<Ack<JoinResult>, { ok: true }>>().toHaveProperty('token');
    // A result without fields (leave, signal) adds nothing to `{ ok: true }`.
    expectTypeOf<Extract<Ack<EventResult<'leave'>>, { ok: true }>>().toEqualTypeOf<{ ok: true }>();
  });
});
