import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientEventName,
  PROTOCOL_VERSION,
  ROOM_NAME_MESSAGES,
  SDP_MAX,
  ackSchema,
} from '../../src/protocol/index.js';
import { type TestServer, startTestServer } from '../support/server.js';
import { Clients, type Inbox, disconnected, join } from './clients.js';

/**
 * A hostile or buggy client must get BAD_REQUEST (or, with no ack callback, nothing), and the server must
 * carry on answering good requests: from the same socket and from everyone else.
 */
describe('malformed requests', () => {
  let server: TestServer;
  const clients = new Clients(() => server.url);
  let rooms = 0;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterEach(() => clients.closeAll());
  afterAll(() => server.close());

  /** A raw socket (not held to the protocol's types) and, in a room of their own, a partner to signal. */
  async function pair(): Promise<{ socket: Socket; partnerId: string; partner: Inbox; room: string }> {
    const room = `case-${++rooms}`;
    const partner = await clients.open();
    const partnerId = (await join(partner.socket, room, 'Partner')).self.id;
    return { socket: await clients.openRaw(), partnerId, partner: partner.inbox, room };
  }

  const huge = 'x'.repeat(100_000);
  const joinTo = (room: string) => ({ v: PROTOCOL_VERSION, room, name: 'Tester' });
  const offerTo = (to: string) => ({
    to,
    signal: { kind: 'description', description: { type: 'offer', sdp: 'v=0' } },
  });

  const someId = 'abcdefghij';
  const base = { v: PROTOCOL_VERSION, room: 'r', name: 'Tester' };
  const cases: [ClientEventName, string, unknown][] = [
    ['join', 'null', null],
    ['join', 'a number', 42],
    ['join', 'a string', 'r'],
    ['join', 'an array', [base]],
    ['join', 'an empty object', {}],
    ['join', 'a string version', { ...base, v: '1' }],
    ['join', 'a fractional version', { ...base, v: 1.5 }],
    ['join', 'no room', { v: PROTOCOL_VERSION, name: 'Tester' }],
    ['join', 'a room name not normalised', { ...base, room: 'Big Room' }],
    ['join', 'a room name with a slash', { ...base, room: 'a/b' }],
    ['join', 'an overlong room name', { ...base, room: 'r'.repeat(65) }],
    ['join', 'a blank name', { ...base, name: '   ' }],
    ['join', 'a name with control characters', { ...base, name: 'Bob\u0007' }],
    ['join', 'a name with a bidi override', { ...base, name: 'evil\u202Egnp.exe' }],
    ['join', 'a huge name', { ...base, name: huge }],
    ['join', 'an extra key', { ...base, admin: true }],
    ['join', 'a malformed resume', { ...base, resume: { peerId: '!', token: 'short' } }],
    [
      'join',
      'a resume with an extra key',
      { ...base, resume: { peerId: someId, token: 't'.repeat(43), x: 1 } },
    ],
    ['leave', 'null', null],
    ['leave', 'a number', 1],
    ['leave', 'an array', []],
    ['leave', 'an extra key', { room: 'r' }],
    ['signal', 'null', null],
    ['signal', 'a string', 'hello'],
    ['signal', 'no signal', { to: someId }],
    ['signal', 'a bad peer id', { ...offerTo(someId), to: 'not an id!' }],
    ['signal', 'an unknown kind', { to: someId, signal: { kind: 'chat', text: 'hi' } }],
    [
      'signal',
      'a rollback',
      { to: someId, signal: { kind: 'description', description: { type: 'rollback', sdp: '' } } },
    ],
    [
      'signal',
      'an oversized SDP',
      {
        to: someId,
        signal: { kind: 'description', description: { type: 'offer', sdp: 'x'.repeat(SDP_MAX + 1) } },
      },
    ],
    [
      'signal',
      'an oversized candidate',
      { to: someId, signal: { kind: 'candidate', candidate: { candidate: huge } } },
    ],
    [
      'signal',
      'a string sdpMLineIndex',
      { to: someId, signal: { kind: 'candidate', candidate: { candidate: '', sdpMLineIndex: 'x' } } },
    ],
    [
      'signal',
      'an extra key in the signal',
      { to: someId, signal: { kind: 'description', description: { type: 'offer', sdp: '' }, x: 1 } },
    ],
  ];

  it.each(cases)(
    '%s: answers BAD_REQUEST to %s, then serves the same socket',
    async (event, _label, payload) => {
      const { socket, partnerId, partner, room } = await pair();
      if (event !== 'join') await join(socket, room, 'Tester');

      const response = ackSchema(event).parse(await socket.emitWithAck(event, payload));
      expect(response).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      if (!response.ok) expect(response.error.message.length).toBeLessThanOrEqual(200);

      if (event === 'join') expect(await join(socket, room, 'Tester')).toMatchObject({ created: false });
      expect(await socket.emitWithAck('signal', offerTo(partnerId))).toEqual({ ok: true });
      await partner.waitFor((r) => r.event === 'signal');
    },
  );

  it('names what was wrong in the message', async () => {
    const { socket } = await pair();
    const answer = async (payload: unknown) =>
      ackSchema('join').parse(await socket.emitWithAck('join', payload));
    expect(await answer({ ...base, room: 'Big Room' })).toEqual({
      ok: false,
      error: { code: 'BAD_REQUEST', message: `room: ${ROOM_NAME_MESSAGES.badCharacter}` },
    });
    expect(await answer({ ...base, v: 'one' })).toEqual({
      ok: false,
      error: { code: 'BAD_REQUEST', message: 'v: Invalid input: expected number, received string' },
    });
    expect(await answer(7)).toMatchObject({
      error: { message: 'Invalid input: expected object, received number' },
    });
    expect(await answer({ ...base, extra: 1 })).toMatchObject({
      error: { message: 'Unrecognized key: "extra"' },
    });
  });

  it('shortens a message that quotes a huge key', async () => {
    const { socket } = await pair();
    const response = ackSchema('join').parse(
      await socket.emitWithAck('join', { ...base, ['k'.repeat(5000)]: 1 }),
    );
    expect(response.ok).toBe(false);
    if (!response.ok) expect(response.error.message).toHaveLength(200);
  });

  it('answers BAD_REQUEST to a request with no payload or with several', async () => {
    const { socket, room } = await pair();
    expect(await socket.emitWithAck('join')).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await socket.emitWithAck('join', joinTo(room), joinTo(room))).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await join(socket, room, 'Tester')).toMatchObject({ created: false });
  });

  it('drops requests without an ack callback, good or bad, and still answers the next one', async () => {
    const { socket, partnerId, partner, room } = await pair();
    // A join without an ack does nothing: the join with an ack that follows is this socket's first.
    socket.emit('join', joinTo(room));
    socket.emit('join', { nonsense: true });
    socket.emit('join');
    socket.emit('leave', {});
    expect(await join(socket, room, 'Tester')).toMatchObject({ created: false });
    socket.emit('signal', {
      ...offerTo(partnerId),
      signal: { kind: 'candidate', candidate: { candidate: '' } },
    });
    socket.emit('leave', {});
    expect(await socket.emitWithAck('signal', offerTo(partnerId))).toEqual({ ok: true });
    await partner.waitFor((r) => r.event === 'signal');
    // Neither the unacknowledged candidate nor the unacknowledged leave had any effect.
    expect(partner.events.map((r) => r.event)).toEqual(['peer-joined', 'signal']);
    expect(partner.events[1]?.payload).toMatchObject({ signal: { kind: 'description' } });
  });

  it('ignores unknown events and still answers', async () => {
    const { socket, room } = await pair();
    socket.emit('create or join', room);
    socket.emit('message', { type: 'offer' });
    socket.emit('admin', {}, () => expect.fail('an unknown event was answered'));
    expect(await join(socket, room, 'Tester')).toMatchObject({ created: false });
  });

  it('cuts off a client whose message exceeds 128 KB, and serves everyone else', async () => {
    const { socket, room } = await pair();
    const gone = disconnected(socket);
    socket.emit('join', { ...joinTo(room), name: 'x'.repeat(200_000) }, () => expect.fail('answered'));
    expect(await gone).toBe('transport close');

    const other = await clients.openRaw();
    expect(await join(other, room, 'Other')).toMatchObject({ created: false });
  });
});
