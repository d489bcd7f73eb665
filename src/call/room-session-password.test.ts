import { describe, expect, it } from 'vitest';
import { fakeSignaling } from '../../test/support/fake-signaling.js';
import type { JoinResult } from '../protocol/index.js';
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

/** A server that answers every join with {@link joined} and remembers what was asked. */
function recordingTransport() {
  const server = fakeSignaling(joined.self);
  server.answerJoins(() => ({ ok: true, ...joined }));
  return Object.assign(server.transport, { requests: server.requests });
}

function session(transport: SignalingTransport): RoomSession {
  // No peers are in the room, so no RTCPeerConnection is ever made.
  return new RoomSession({ transport, RTCPeerConnection: class {} as never, localStream: null });
}

describe('RoomSession and room passwords', () => {
  it('sends the password with the join, and again with a resume, for a server that lost the room', async () => {
    const transport = recordingTransport();
    const room = session(transport);
    expect(await room.join('kitchen', 'Ann', 'hunter2')).toMatchObject({ protected: true });
    await room.resume();
    expect(transport.requests.map((r) => r.payload)).toEqual([
      { v: 1, room: 'kitchen', name: 'Ann', password: 'hunter2' },
      {
        v: 1,
        room: 'kitchen',
        name: 'Ann',
        resume: { peerId: joined.self.id, token: joined.token },
        password: 'hunter2',
      },
    ]);
  });

  it('sends no password field when none was given', async () => {
    const transport = recordingTransport();
    const room = session(transport);
    await room.join('kitchen', 'Ann');
    await room.resume();
    for (const { payload } of transport.requests) expect(payload).not.toHaveProperty('password');
  });

  it('forgets the password once the session is closed', async () => {
    const transport = recordingTransport();
    const room = session(transport);
    await room.join('kitchen', 'Ann', 'hunter2');
    room.close();
    await room.resume();
    expect(transport.requests).toHaveLength(1);
  });
});
