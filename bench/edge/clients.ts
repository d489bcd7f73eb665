/** What the edge benchmark's two client processes share: connecting and joining over Parley's protocol. */
import { type Socket, io } from 'socket.io-client';
import { PROTOCOL_VERSION, type Signal, ackSchema } from '../../src/protocol/index.js';

/**
 * A client as seen from `address`: the server trusts loopback as a proxy, so X-Forwarded-For names the
 * client, as it would for people behind a reverse proxy. The flooder and the measured rooms then count as
 * different people, as they would be.
 */
export async function connectClient(url: string, address: string): Promise<Socket> {
  const socket = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: { 'x-forwarded-for': address },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Joins and resolves with the peer id, or throws with the server's error. */
export async function joinRoom(socket: Socket, room: string, name: string): Promise<string> {
  const ack = ackSchema('join').parse(await socket.emitWithAck('join', { v: PROTOCOL_VERSION, room, name }));
  if (!ack.ok) throw new Error(`join failed: ${ack.error.code} ${ack.error.message}`);
  return ack.self.id;
}

/** An ICE candidate as a browser trickles it: the most common signal of a call. */
export function candidate(n: number): Signal {
  return {
    kind: 'candidate',
    candidate: {
      candidate: `candidate:${n} 1 udp 2122260223 192.0.2.10 ${50_000 + (n % 10_000)} typ host generation 0`,
      sdpMid: '0',
      sdpMLineIndex: 0,
    },
  };
}
