import { createServer } from 'node:http';
import { once } from 'node:events';
import { pino } from 'pino';
import { Server } from 'socket.io';
import { type Socket, io as connect } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryRoomRegistry } from '../rooms/index.js';
import { createSignalingContext } from './context.js';
import { type Handler, describeIssue, register } from './register.js';
import type { ParleyServer } from './types.js';

/**
 * The wrapper on a real socket.io server with stand-in handlers: what it does around a handler, not what
 * the handlers do (the integration tests cover those).
 */
describe('register', () => {
  let io: ParleyServer;
  let client: Socket;
  let calls: string[];
  let leaveHandler: Handler<'leave'>;

  beforeEach(async () => {
    calls = [];
    leaveHandler = () => Promise.resolve({ ok: true });
    const http = createServer();
    io = new Server(http);
    const context = createSignalingContext({
      io,
      registry: new MemoryRoomRegistry(),
      logger: pino({ level: 'silent' }),
      secret: 's'.repeat(32),
      maxPeers: 2,
      resumeWindowMs: 0,
    });
    io.on('connection', (socket) => {
      register(context, socket, 'leave', (...args) => {
        calls.push('leave');
        return leaveHandler(...args);
      });
    });
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    const address = http.address();
    if (address === null || typeof address === 'string') throw new TypeError('not listening on TCP');
    const { port } = address;
    client = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false });
    await new Promise((resolve) => client.once('connect', () => resolve(undefined)));
  });
  afterEach(async () => {
    client.close();
    await io.close();
  });

  it('calls the handler with a valid payload and passes its answer back', async () => {
    expect(await client.emitWithAck('leave', {})).toEqual({ ok: true });
    expect(calls).toEqual(['leave']);
  });

  it('answers BAD_REQUEST without calling the handler when the payload does not parse', async () => {
    expect(await client.emitWithAck('leave', { extra: 1 })).toEqual({
      ok: false,
      error: { code: 'BAD_REQUEST', message: 'Unrecognized key: "extra"' },
    });
    expect(calls).toEqual([]);
  });

  it('drops a request without an ack callback without calling the handler', async () => {
    client.emit('leave', {});
    expect(await client.emitWithAck('leave', {})).toEqual({ ok: true });
    expect(calls).toEqual(['leave']);
  });

  it('turns a throwing handler into INTERNAL and keeps serving', async () => {
    leaveHandler = () => Promise.reject(new Error('boom'));
    expect(await client.emitWithAck('leave', {})).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Something went wrong on the server.' },
    });
    leaveHandler = () => {
      throw new TypeError('synchronous boom');
    };
    expect(await client.emitWithAck('leave', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    leaveHandler = () => Promise.resolve({ ok: true });
    expect(await client.emitWithAck('leave', {})).toEqual({ ok: true });
  });

  it('handles one socket’s requests one at a time, in order', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const order: string[] = [];
    let count = 0;
    leaveHandler = async () => {
      const turn = count++;
      order.push(`start ${turn}`);
      if (turn === 0) await gate;
      order.push(`end ${turn}`);
      return { ok: true };
    };
    const first = client.emitWithAck('leave', {});
    const second = client.emitWithAck('leave', {});
    await expect.poll(() => order).toEqual(['start 0']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['start 0', 'end 0', 'start 1', 'end 1']);
  });
});

describe('describeIssue', () => {
  it('puts the path first and keeps the message', () => {
    expect(
      describeIssue({
        code: 'custom',
        path: ['signal', 'description', 'sdp'],
        message: 'SDP too large.',
        input: '',
      }),
    ).toBe('signal.description.sdp: SDP too large.');
    expect(describeIssue(undefined)).toBe('The request was not understood.');
  });
});
