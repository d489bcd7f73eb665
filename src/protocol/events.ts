import * as z from 'zod/mini';
import { ERROR_CODES, type ProtocolError } from './errors.js';
import { IceServer, IceTransportPolicy } from './ice-servers.js';
import { DisplayName, PeerId, ResumeToken, RoomName, RoomPassword } from './names.js';
import { SDP_MAX, Signal } from './signals.js';

/** A person in a room, as others see them. */
export const PeerInfo = z.strictObject({ id: PeerId, name: DisplayName });
export type PeerInfo = z.infer<typeof PeerInfo>;

// ---------------------------------------------------------------------------------------------------------
// Client to server. Every event carries one payload object and an acknowledgement callback.
// ---------------------------------------------------------------------------------------------------------

/**
 * The newcomer's first offer, sent with its join so that it reaches a member already there without a round
 * trip of its own: the server hands it to one member (named in the result as `offeredTo`) as a `signal`.
 */
export const JoinOffer = z.strictObject({
  type: z.literal('offer'),
  sdp: z.string().check(z.maxLength(SDP_MAX, 'SDP too large.')),
});
export type JoinOffer = z.infer<typeof JoinOffer>;

/**
 * Enter a room (the tutorial's `create or join`). With `resume`, a reconnecting client asks for its old peer
 * id back; the others then see nothing happen. With `password`, the person opening a room locks it, and
 * anyone else proves they may enter a locked one; a password given for a room that is already open is
 * ignored (the room stays open, and `protected` in the result says so).
 */
export const JoinRequest = z.strictObject({
  v: z.number().check(z.int()),
  room: RoomName,
  name: DisplayName,
  resume: z.exactOptional(z.strictObject({ peerId: PeerId, token: ResumeToken })),
  password: z.exactOptional(RoomPassword),
  /** Ignored on a resume, and when nobody is there to take it. */
  offer: z.exactOptional(JoinOffer),
});
export type JoinRequest = z.infer<typeof JoinRequest>;

export const JoinResult = z.strictObject({
  self: PeerInfo,
  /** Keep it secret: it is what lets this client take its place back after a reconnect. */
  token: ResumeToken,
  room: RoomName,
  /** True when this client opened the room (the tutorial's `created`), false when it joined others. */
  created: z.boolean(),
  /** True when the room is locked with a password, so the page can show it. */
  protected: z.boolean(),
  /** Who is already there. The newcomer offers to each of them. */
  peers: z.array(PeerInfo),
  /**
   * The member that was handed the join's offer, as a `signal` from the newcomer of generation 0. Its answer
   * comes back as one; the newcomer offers to the others in `peers` as usual. Absent when no offer was taken.
   */
  offeredTo: z.exactOptional(PeerId),
  maxPeers: z.number().check(z.int(), z.minimum(2)),
  /** Each person's video upload unless they choose another, kbit/s (`PARLEY_UPLOAD_BUDGET`). */
  uploadBudgetKbps: z.number().check(z.int(), z.minimum(200), z.maximum(50_000)),
  iceServers: z.array(IceServer),
  iceTransportPolicy: IceTransportPolicy,
});
export type JoinResult = z.infer<typeof JoinResult>;

export const LeaveRequest = z.strictObject({});
export type LeaveRequest = z.infer<typeof LeaveRequest>;

/** Relay a negotiation message to one named peer of the sender's room. */
export const SignalRequest = z.strictObject({ to: PeerId, signal: Signal });
export type SignalRequest = z.infer<typeof SignalRequest>;

export const Empty = z.strictObject({});

/**
 * Ask for ICE servers (STUN, TURN with fresh credentials) without joining: for the connectivity check
 * before joining, and to renew expired TURN credentials before an ICE restart in a long call.
 */
export const IceRequest = z.strictObject({});
export type IceRequest = z.infer<typeof IceRequest>;

export const IceResult = z.strictObject({
  iceServers: z.array(IceServer),
  iceTransportPolicy: IceTransportPolicy,
});
export type IceResult = z.infer<typeof IceResult>;

/**
 * The client-to-server events: payload schema and the schema of a successful acknowledgement.
 * The socket.io event map below is derived from this table, so types and checks cannot drift apart.
 */
export const clientEvents = {
  join: { payload: JoinRequest, result: JoinResult },
  leave: { payload: LeaveRequest, result: Empty },
  signal: { payload: SignalRequest, result: Empty },
  ice: { payload: IceRequest, result: IceResult },
} as const;
export type ClientEventName = keyof typeof clientEvents;
export const CLIENT_EVENT_NAMES = Object.keys(clientEvents) as ClientEventName[];

/**
 * An object schema without keys (`Empty`) infers as `Record<string, never>`, which nothing with an `ok` key
 * can satisfy; such a result adds no fields to the acknowledgement.
 */
type ResultFields<T> = string extends keyof T ? unknown : T;

/** What every acknowledgement looks like: a result, or a coded error. */
export type Ack<T> = ({ ok: true } & ResultFields<T>) | { ok: false; error: ProtocolError };

export const ProtocolErrorSchema = z.strictObject({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  retryAfterMs: z.exactOptional(z.number().check(z.int(), z.nonnegative())),
});

function makeAckSchema<R extends (typeof clientEvents)[ClientEventName]['result']>(result: R) {
  return z.union([
    z.extend(result, { ok: z.literal(true) }),
    z.strictObject({ ok: z.literal(false), error: ProtocolErrorSchema }),
  ]);
}

// One schema per event, built once. (Built from `clientEvents[event]` inside a generic function, the
// result type would be the union over every event, so `ackSchema('join')` would not type a join result.)
const ackSchemas = {
  join: makeAckSchema(clientEvents.join.result),
  leave: makeAckSchema(clientEvents.leave.result),
  signal: makeAckSchema(clientEvents.signal.result),
  ice: makeAckSchema(clientEvents.ice.result),
} satisfies { [E in ClientEventName]: unknown };

/** The schema of an acknowledgement for one event, for clients that check what the server says. */
export function ackSchema<E extends ClientEventName>(event: E): (typeof ackSchemas)[E] {
  return ackSchemas[event];
}

export type EventPayload<E extends ClientEventName> = z.infer<(typeof clientEvents)[E]['payload']>;
export type EventResult<E extends ClientEventName> = z.infer<(typeof clientEvents)[E]['result']>;

// ---------------------------------------------------------------------------------------------------------
// Server to client.
// ---------------------------------------------------------------------------------------------------------

export const PeerJoined = z.strictObject({ peer: PeerInfo });
export type PeerJoined = z.infer<typeof PeerJoined>;

/** `left`: said goodbye; `disconnected`: vanished and did not come back within the resume window. */
export const PeerLeft = z.strictObject({ peerId: PeerId, reason: z.enum(['left', 'disconnected']) });
export type PeerLeft = z.infer<typeof PeerLeft>;

/** A signal relayed by the server; `from` is stamped by the server, never taken from the sender. */
export const SignalDelivery = z.strictObject({ from: PeerId, signal: Signal });
export type SignalDelivery = z.infer<typeof SignalDelivery>;

export const serverEvents = {
  'peer-joined': PeerJoined,
  'peer-left': PeerLeft,
  signal: SignalDelivery,
} as const;
export type ServerEventName = keyof typeof serverEvents;
export type ServerEventPayload<E extends ServerEventName> = z.infer<(typeof serverEvents)[E]>;

// ---------------------------------------------------------------------------------------------------------
// socket.io event maps, derived from the tables above.
// ---------------------------------------------------------------------------------------------------------

/**
 * Payloads are typed `unknown` on the server side of the wire by design: the gateway parses them with the
 * schemas before any handler sees them. Clients get the precise input types.
 */
export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: EventPayload<E>, ack: (response: Ack<EventResult<E>>) => void) => void;
};

export type ServerToClientEvents = {
  [E in ServerEventName]: (payload: ServerEventPayload<E>) => void;
};
