import type { Server, Socket } from 'socket.io';
import type { ClientEventName, PeerId, RoomName, ServerToClientEvents } from '../../protocol/index.js';

/**
 * What the server really receives: arguments it has not checked yet. The protocol's precise
 * `ClientToServerEvents` types what clients send; on this side every listener takes `unknown` and the
 * gateway parses it (see `register.ts`), so no handler can trust a payload by accident.
 */
export type InboundEvents = { [E in ClientEventName]: (...args: unknown[]) => void };

/** Set while the socket holds a place in a room; cleared when it leaves, drops or is replaced. */
export interface SocketData {
  peerId?: PeerId | undefined;
  room?: RoomName | undefined;
}

// socket.io's type parameter for events between server nodes; Parley has none of its own.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type ServerSideEvents = {};

export type ParleyServer = Server<InboundEvents, ServerToClientEvents, ServerSideEvents, SocketData>;
export type ParleySocket = Socket<InboundEvents, ServerToClientEvents, ServerSideEvents, SocketData>;

/** The socket.io room that addresses one peer, wherever (on whichever node) its socket is. */
export const peerChannel = (peerId: PeerId) => `peer:${peerId}`;
/** The socket.io room of everyone in a Parley room; used to tell them about arrivals and departures. */
export const roomChannel = (room: RoomName) => `room:${room}`;
