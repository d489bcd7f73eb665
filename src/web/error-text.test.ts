import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../protocol/index.js';
import { LOCAL_ERROR_CODES } from '../call/index.js';
import { ERROR_TEXT, errorText } from './error-text.js';

describe('errorText', () => {
  it('has words for every code, the server’s and the local ones', () => {
    expect(Object.keys(ERROR_TEXT).sort()).toEqual([...ERROR_CODES, ...LOCAL_ERROR_CODES].sort());
    for (const text of Object.values(ERROR_TEXT)) expect(text).toMatch(/\.$/);
  });

  it('names the room where the text does', () => {
    expect(errorText('ROOM_FULL', { room: 'kitchen' })).toBe(
      'The room “kitchen” is full. Try another room, or come back when someone has left.',
    );
    expect(errorText('PASSWORD_REQUIRED', { room: 'kitchen' })).toBe(
      'The room “kitchen” needs a password. Enter it and press Join.',
    );
  });

  it('takes the server’s words only where the code cannot say enough', () => {
    expect(errorText('RATE_LIMITED', { message: 'Try again in 3 s.' })).toBe('Try again in 3 s.');
    expect(errorText('RATE_LIMITED')).toBe(ERROR_TEXT.RATE_LIMITED);
    expect(errorText('WRONG_PASSWORD', { message: 'anything' })).toBe(
      'That password is not right. Try again.',
    );
  });
});
