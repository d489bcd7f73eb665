import { describe, expect, it } from 'vitest';
import { problemOfCandidateError } from './problem.js';

describe('problemOfCandidateError', () => {
  it('calls a 401 or 403 from a TURN server a refused relay', () => {
    expect(problemOfCandidateError({ errorCode: 401, url: 'turn:127.0.0.1:3478?transport=udp' })).toBe(
      'relay-refused',
    );
    expect(
      problemOfCandidateError({ errorCode: 403, url: 'turns:turn.example.org:5349?transport=tcp' }),
    ).toBe('relay-refused');
  });

  it('ignores STUN errors and other codes', () => {
    expect(problemOfCandidateError({ errorCode: 401, url: 'stun:example.org:3478' })).toBeUndefined();
    expect(problemOfCandidateError({ errorCode: 701, url: 'turn:127.0.0.1:3478' })).toBeUndefined();
  });
});
