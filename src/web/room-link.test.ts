import { describe, expect, it } from 'vitest';
import { checkRoomName, roomFromLocation, roomLink } from './room-link.js';

describe('roomFromLocation', () => {
  it.each([
    ['/r/kitchen', 'kitchen'],
    ['/r/kitchen/', 'kitchen'],
    ['/r/%E5%91%A8%E4%BC%9A', '周会'],
    ['/r/周会', '周会'],
    ['/r/Team%20Meeting', 'Team Meeting'],
    ['/r/%EF%BC%B4%EF%BD%85%EF%BD%81%EF%BD%8D', 'Ｔｅａｍ'],
    ['/', ''],
    ['/r/', ''],
    ['/r/a/b', ''],
    ['/r/aa%ZZ', ''],
    ['/r/%E5%91', ''],
  ])('reads %j as %j', (pathname, room) => {
    expect(roomFromLocation({ pathname })).toBe(room);
  });

  it('keeps what the link spells, for checkRoomName to judge', () => {
    const room = roomFromLocation({ pathname: '/r/a%E2%80%8Bb' });
    expect(room).toBe('a\u200bb');
    expect(checkRoomName(room)).toMatchObject({ ok: false, reason: 'invisible' });
  });
});

describe('roomLink', () => {
  it('percent-encodes, and reads back through roomFromLocation', () => {
    const link = roomLink({ origin: 'https://parley.test' }, '周会-team');
    expect(link).toBe('https://parley.test/r/%E5%91%A8%E4%BC%9A-team');
    expect(roomFromLocation({ pathname: new URL(link).pathname })).toBe('周会-team');
  });
});

describe('checkRoomName', () => {
  it('gives the normalised room and the name as typed', () => {
    expect(checkRoomName(' Team Meeting ')).toEqual({
      ok: true,
      room: 'team-meeting',
      display: 'Team Meeting',
    });
    expect(checkRoomName('周会')).toEqual({ ok: true, room: '周会', display: '周会' });
    expect(checkRoomName('Ｔｅａｍ')).toMatchObject({ ok: true, room: 'team' });
  });

  it.each([
    ['', 'empty'],
    ['x'.repeat(65), 'tooLong'],
    ['𠀀'.repeat(49), 'tooManyBytes'],
    ['a\u202eb', 'invisible'],
    ['a/b', 'badCharacter'],
  ] as const)('refuses %j as %s, with a message', (typed, reason) => {
    const result = checkRoomName(typed);
    expect(result).toMatchObject({ ok: false, reason });
    expect(result.ok ? '' : result.message).toMatch(/^Room name/);
  });
});
