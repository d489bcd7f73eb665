import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG, ERROR_CODES, protocolError } from './errors.js';

describe('error catalog', () => {
  it('gives every code a message for people and an HTTP status', () => {
    expect(ERROR_CODES).toEqual(
      expect.arrayContaining([
        'BAD_REQUEST',
        'ROOM_FULL',
        'NOT_IN_ROOM',
        'PASSWORD_REQUIRED',
        'WRONG_PASSWORD',
        'RATE_LIMITED',
        'INTERNAL',
      ]),
    );
    for (const code of ERROR_CODES) {
      const { status, message } = ERROR_CATALOG[code];
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
      expect(message, code).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('builds the error half of an ack, with the catalog message unless told otherwise', () => {
    expect(protocolError('ROOM_FULL')).toEqual({ code: 'ROOM_FULL', message: 'This room is full.' });
    expect(protocolError('BAD_REQUEST', 'room: too long')).toEqual({
      code: 'BAD_REQUEST',
      message: 'room: too long',
    });
  });
});
