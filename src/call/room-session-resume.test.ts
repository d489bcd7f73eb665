import { describe, expect, it } from 'vitest';
import type { Ack, ClientEventName, EventPayload, EventResult, JoinResult } from '../protocol/index.js';
import { CallError } from './errors.js';
import { RoomSession } from './room-session.js';
import type { SignalingTransport } from './transport.js';

const joined: JoinResult = {
  self: { id: 'self-000001', name: 'Ann' },
  token: 'iUrEDPf6xjnnR3f-v2RaBuInjbObxmY1Rcq87EkFelU',
  room: 'kitchen',
  created: true,
  protected: true,
  peers: [],
  maxPeers: 2,
  uploadBudgetKbps: 2500,
  iceServers: [],
  iceTransportPolicy: 'all',
};

type JoinAck = Ack<JoinResult>;

/** A transport that answers joins from `answers` in turn, and remembers what was asked. */
function scriptedTransport(answers: JoinAck[]): SignalingTransport & { payloads: unknown[] } {
  const payloads: unknown[] = [];
  return {
    payloads,
    request<E extends ClientEventName>(event: E, payload: EventPayload<E>): Promise<Ack<EventResult<E>>> {
      payloads.push(payload);
      const answer = answers.shift() ?? { ok: true, ...joined };
      // Only joins are asked for here.
      return Promise.resolve(answer as Ack<EventResult<E>>);
    },
    on: () => () => {},
  };
}

function session(transport: SignalingTransport): RoomSession {
  // No peers are in the room, so no RTCPeerConnection is ever made.
  return new RoomSession({ transport, RTCPeerConnection: class {} as never, localStream: null });
}

describe('RoomSession resuming', () => {
  it('joins afresh, without the token, when the server answers RESUME_REJECTED', async () => {
    const rejected: JoinAck = { ok: false, error: { code: 'RESUME_REJECTED', message: 'No.' } };
    const transport = scriptedTransport([{ ok: true, ...joined }, rejected]);
    const room = session(transport);
    await room.join('kitchen', 'Ann', 'hunter2');
    expect(await room.resume()).toBe('rejoined');
    expect(transport.payloads.at(-1)).toEqual({ v: 1, room: 'kitchen', name: 'Ann', password: 'hunter2' });
  });

  it('does not take BAD_REQUEST for a refused token: it reports the failure', async () => {
    const bad: JoinAck = { ok: false, error: { code: 'BAD_REQUEST', message: 'No.' } };
    const transport = scriptedTransport([{ ok: true, ...joined }, bad]);
    const room = session(transport);
    const errors: unknown[] = [];
    room.on('error', (error) => errors.push(error));
    await room.join('kitchen', 'Ann');
    expect(await room.resume()).toBe('failed');
    expect(transport.payloads).toHaveLength(2);
    expect(errors).toEqual([CallError.of(bad.error)]);
  });

  it('says whether the room is locked after every join and resume', async () => {
    const reopened: JoinAck = { ok: true, ...joined, created: false, protected: false };
    const transport = scriptedTransport([{ ok: true, ...joined }, reopened]);
    const room = session(transport);
    const seen: boolean[] = [];
    room.on('room', (state) => seen.push(state.protected));
    await room.join('kitchen', 'Ann', 'hunter2');
    expect(await room.resume()).toBe('resumed');
    expect(seen).toEqual([true, false]);
  });
});
