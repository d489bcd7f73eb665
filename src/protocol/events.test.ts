import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from './errors.js';
import {
  CLIENT_EVENT_NAMES,
  JoinRequest,
  JoinResult,
  LeaveRequest,
  PeerJoined,
  PeerLeft,
  SignalDelivery,
  SignalRequest,
  ackSchema,
  clientEvents,
  serverEvents,
} from './events.js';
import { PROTOCOL_VERSION } from './version.js';

const resume = { peerId: 'jaTRC_sydGjv', token: 'iUrEDPf6xjnnR3f-v2RaBuInjbObxmY1Rcq87EkFelU' };
const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0' } } as const;

describe('JoinRequest', () => {
  it('accepts a first join and a resume, and trims the name', () => {
    expect(JoinRequest.parse({ v: PROTOCOL_VERSION, room: 'kitchen', name: ' Ann ' })).toEqual({
      v: PROTOCOL_VERSION,
      room: 'kitchen',
      name: 'Ann',
    });
    expect(JoinRequest.parse({ v: 1, room: 'kitchen', name: 'Ann', resume }).resume).toEqual(resume);
  });

  it('carries a password exactly as typed, spaces included', () => {
    expect(JoinRequest.parse({ v: 1, room: 'kitchen', name: 'Ann', password: ' s3cret ' }).password).toBe(
      ' s3cret ',
    );
    expect(JoinRequest.parse({ v: 1, room: 'kitchen', name: 'Ann', password: 'p'.repeat(128) })).toBeTruthy();
  });

  it('does not check the version itself: the server answers a wrong one with VERSION_MISMATCH', () => {
    expect(JoinRequest.safeParse({ v: 999, room: 'kitchen', name: 'Ann' }).success).toBe(true);
  });

  it.each([
    ['a string version', { v: '1', room: 'kitchen', name: 'Ann' }],
    ['a fractional version', { v: 1.5, room: 'kitchen', name: 'Ann' }],
    ['no version', { room: 'kitchen', name: 'Ann' }],
    ['a room that is not normalised', { v: 1, room: 'Kitchen', name: 'Ann' }],
    ['no name', { v: 1, room: 'kitchen' }],
    ['a name with control characters', { v: 1, room: 'kitchen', name: 'A\u0000nn' }],
    ['an unknown key', { v: 1, room: 'kitchen', name: 'Ann', role: 'admin' }],
    ['a resume without token', { v: 1, room: 'kitchen', name: 'Ann', resume: { peerId: resume.peerId } }],
    ['a resume with an unknown key', { v: 1, room: 'kitchen', name: 'Ann', resume: { ...resume, x: 1 } }],
    ['an empty password', { v: 1, room: 'kitchen', name: 'Ann', password: '' }],
    ['a password over 128 characters', { v: 1, room: 'kitchen', name: 'Ann', password: 'p'.repeat(129) }],
    ['a password that is not a string', { v: 1, room: 'kitchen', name: 'Ann', password: 1234 }],
    ['a null password', { v: 1, room: 'kitchen', name: 'Ann', password: null }],
    ['null', null],
    ['an array', []],
  ])('rejects %s', (_label, payload) => {
    expect(JoinRequest.safeParse(payload).success).toBe(false);
  });
});

describe('LeaveRequest', () => {
  it('is an empty object and nothing else', () => {
    expect(LeaveRequest.parse({})).toEqual({});
    expect(LeaveRequest.safeParse({ room: 'kitchen' }).success).toBe(false);
    expect(LeaveRequest.safeParse(undefined).success).toBe(false);
  });
});

describe('SignalRequest', () => {
  it('names the recipient and carries the signal', () => {
    expect(SignalRequest.parse({ to: resume.peerId, signal: offer })).toEqual({
      to: resume.peerId,
      signal: offer,
    });
  });

  it('has no room for a sender: `from` is for the server to write', () => {
    expect(SignalRequest.safeParse({ to: resume.peerId, from: 'abcdefghij', signal: offer }).success).toBe(
      false,
    );
  });

  it('rejects a malformed recipient', () => {
    expect(SignalRequest.safeParse({ to: 'x', signal: offer }).success).toBe(false);
  });
});

describe('acknowledgements', () => {
  const joinResult = {
    self: { id: resume.peerId, name: 'Ann' },
    token: resume.token,
    room: 'kitchen',
    created: true,
    protected: true,
    peers: [],
    maxPeers: 2,
    uploadBudgetKbps: 2500,
    iceServers: [
      { urls: 'stun:stun.example.org:3478' },
      { urls: ['turn:t.example.org'], username: 'u', credential: 'c' },
    ],
    iceTransportPolicy: 'all',
  };

  it('parses a successful join and keeps its fields', () => {
    expect(JoinResult.parse(joinResult)).toEqual(joinResult);
    expect(ackSchema('join').parse({ ok: true, ...joinResult })).toEqual({ ok: true, ...joinResult });
  });

  it('parses a success without fields for leave and signal', () => {
    for (const event of ['leave', 'signal'] as const) {
      expect(ackSchema(event).parse({ ok: true })).toEqual({ ok: true });
      expect(ackSchema(event).safeParse({ ok: true, extra: 1 }).success).toBe(false);
    }
  });

  it('parses every error code from the catalog, and nothing else', () => {
    for (const event of CLIENT_EVENT_NAMES) {
      for (const code of ERROR_CODES) {
        expect(ackSchema(event).parse({ ok: false, error: { code, message: 'm' } })).toMatchObject({
          ok: false,
        });
      }
      expect(ackSchema(event).safeParse({ ok: false, error: { code: 'TEAPOT', message: 'm' } }).success).toBe(
        false,
      );
    }
  });

  it('rejects a join success that lacks a field or breaks a rule', () => {
    const { token: _token, ...noToken } = joinResult;
    expect(ackSchema('join').safeParse({ ok: true, ...noToken }).success).toBe(false);
    const { protected: _protected, ...noProtected } = joinResult;
    expect(ackSchema('join').safeParse({ ok: true, ...noProtected }).success).toBe(false);
    expect(ackSchema('join').safeParse({ ok: true, ...joinResult, maxPeers: 1 }).success).toBe(false);
    expect(ackSchema('join').safeParse({ ok: true, ...joinResult, iceTransportPolicy: 'none' }).success).toBe(
      false,
    );
    expect(ackSchema('join').safeParse({ ...joinResult }).success).toBe(false);
  });
});

describe('server events', () => {
  it('has a schema for each, and parses what the server sends', () => {
    expect(Object.keys(serverEvents).sort()).toEqual(['peer-joined', 'peer-left', 'signal']);
    expect(PeerJoined.parse({ peer: { id: resume.peerId, name: 'Ann' } })).toBeTruthy();
    expect(PeerLeft.parse({ peerId: resume.peerId, reason: 'disconnected' })).toBeTruthy();
    expect(SignalDelivery.parse({ from: resume.peerId, signal: offer })).toBeTruthy();
  });

  it('rejects a departure for an unknown reason and a delivery without sender', () => {
    expect(PeerLeft.safeParse({ peerId: resume.peerId, reason: 'kicked' }).success).toBe(false);
    expect(SignalDelivery.safeParse({ signal: offer }).success).toBe(false);
  });
});

describe('clientEvents', () => {
  it('lists the events the server handles', () => {
    expect(CLIENT_EVENT_NAMES).toEqual(['join', 'leave', 'signal', 'ice']);
    expect(Object.keys(clientEvents)).toEqual(CLIENT_EVENT_NAMES);
  });
});
