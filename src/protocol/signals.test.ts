import { describe, expect, it } from 'vitest';
import { CANDIDATE_MAX, IceCandidate, SDP_MAX, SessionDescription, Signal } from './signals.js';

const HOST_CANDIDATE =
  'candidate:842163049 1 udp 1677729535 192.0.2.10 54400 typ host generation 0 ufrag EEtu';

describe('Signal', () => {
  it('accepts an offer and an answer', () => {
    for (const type of ['offer', 'answer'] as const) {
      const signal = {
        kind: 'description',
        description: { type, sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' },
      };
      expect(Signal.parse(signal)).toEqual(signal);
    }
  });

  it('accepts a candidate as RTCIceCandidate.toJSON() gives it, and the end-of-candidates marker', () => {
    const full = {
      kind: 'candidate',
      candidate: { candidate: HOST_CANDIDATE, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'EEtu' },
    };
    expect(Signal.parse(full)).toEqual(full);
    const nulls = { kind: 'candidate', candidate: { candidate: '', sdpMid: null, sdpMLineIndex: null } };
    expect(Signal.parse(nulls)).toEqual(nulls);
    expect(Signal.parse({ kind: 'candidate', candidate: { candidate: '' } })).toBeTruthy();
  });

  it('carries the connection generation a signal belongs to', () => {
    const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0' }, generation: 3 };
    expect(Signal.parse(offer)).toEqual(offer);
    const candidate = { kind: 'candidate', candidate: { candidate: '' }, generation: 0 };
    expect(Signal.parse(candidate)).toEqual(candidate);
  });

  it.each([
    ['an unknown kind', { kind: 'bye' }],
    ['no kind', { description: { type: 'offer', sdp: '' } }],
    ['a rollback (it never travels)', { kind: 'description', description: { type: 'rollback', sdp: '' } }],
    ['a pranswer', { kind: 'description', description: { type: 'pranswer', sdp: '' } }],
    ['a description without sdp', { kind: 'description', description: { type: 'offer' } }],
    ['a description in the candidate slot', { kind: 'candidate', description: { type: 'offer', sdp: '' } }],
    ['an extra key on the signal', { kind: 'candidate', candidate: { candidate: '' }, from: 'someone-else' }],
    [
      'an extra key on the description',
      { kind: 'description', description: { type: 'offer', sdp: '', x: 1 } },
    ],
    ['an extra key on the candidate', { kind: 'candidate', candidate: { candidate: '', foo: 'bar' } }],
    ['a negative m-line index', { kind: 'candidate', candidate: { candidate: '', sdpMLineIndex: -1 } }],
    ['a fractional m-line index', { kind: 'candidate', candidate: { candidate: '', sdpMLineIndex: 0.5 } }],
    ['a huge m-line index', { kind: 'candidate', candidate: { candidate: '', sdpMLineIndex: 1024 } }],
    ['a long mid', { kind: 'candidate', candidate: { candidate: '', sdpMid: 'm'.repeat(65) } }],
    ['a long ufrag', { kind: 'candidate', candidate: { candidate: '', usernameFragment: 'u'.repeat(257) } }],
    ['a string', 'candidate'],
    ['null', null],
    ['a negative generation', { kind: 'candidate', candidate: { candidate: '' }, generation: -1 }],
    ['a fractional generation', { kind: 'candidate', candidate: { candidate: '' }, generation: 1.5 }],
    ['a generation as text', { kind: 'candidate', candidate: { candidate: '' }, generation: '2' }],
  ])('rejects %s', (_label, signal) => {
    expect(Signal.safeParse(signal).success).toBe(false);
  });
});

describe('size limits', () => {
  it('accepts an SDP of exactly the limit and rejects one byte more', () => {
    expect(SessionDescription.safeParse({ type: 'offer', sdp: 'x'.repeat(SDP_MAX) }).success).toBe(true);
    const tooBig = SessionDescription.safeParse({ type: 'offer', sdp: 'x'.repeat(SDP_MAX + 1) });
    expect(tooBig.error?.issues[0]?.message).toBe('SDP too large.');
  });

  it('accepts a candidate line of exactly the limit and rejects a longer one', () => {
    expect(IceCandidate.safeParse({ candidate: 'c'.repeat(CANDIDATE_MAX) }).success).toBe(true);
    expect(
      IceCandidate.safeParse({ candidate: 'c'.repeat(CANDIDATE_MAX + 1) }).error?.issues[0]?.message,
    ).toBe('Candidate too large.');
  });
});
