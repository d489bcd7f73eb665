import { describe, expect, it } from 'vitest';
import {
  DISPLAY_NAME_MAX,
  DisplayName,
  PeerId,
  ROOM_NAME_MAX,
  ROOM_PASSWORD_MAX,
  ResumeToken,
  RoomName,
  RoomPassword,
  normalizeRoomName,
} from './names.js';
import { distinctNames, nameSkeleton } from './look-alike-names.js';

describe('normalizeRoomName', () => {
  it.each([
    ['Team Meeting ', 'team-meeting'],
    ['team-meeting', 'team-meeting'],
    ['  Lots   of\tspace  ', 'lots-of-space'],
    ['UPPER_case-9', 'upper_case-9'],
    ['', ''],
  ])('turns %j into %j', (input, output) => {
    expect(normalizeRoomName(input)).toBe(output);
  });

  it('makes what people type into valid room names', () => {
    for (const typed of ['Team Meeting', ' Friday standup ', 'room 42']) {
      expect(RoomName.safeParse(normalizeRoomName(typed)).success, typed).toBe(true);
    }
  });

  it('leaves what cannot be a room name for RoomName to reject', () => {
    for (const typed of ['Café', 'a/b', '-dash-', '   ', 'ü']) {
      expect(RoomName.safeParse(normalizeRoomName(typed)).success, typed).toBe(false);
    }
  });
});

describe('RoomName', () => {
  it.each(['a', 'kitchen', 'team-meeting', 'room_42', 'a1-b2_c3', 'x'.repeat(ROOM_NAME_MAX)])(
    'accepts %j',
    (name) => {
      expect(RoomName.parse(name)).toBe(name);
    },
  );

  it.each([
    ['empty', ''],
    ['upper case', 'Kitchen'],
    ['a space', 'team meeting'],
    ['a leading dash', '-room'],
    ['a trailing underscore', 'room_'],
    ['a slash', 'a/b'],
    ['a dot', 'a.b'],
    ['percent-encoding', 'a%20b'],
    ['non-ASCII letters', 'café'],
    ['too long', 'x'.repeat(ROOM_NAME_MAX + 1)],
    ['not a string', 42],
  ])('rejects %s', (_label, name) => {
    expect(RoomName.safeParse(name).success).toBe(false);
  });

  it('says why', () => {
    expect(RoomName.safeParse('').error?.issues[0]?.message).toBe('Room name is empty.');
    expect(RoomName.safeParse('A B').error?.issues[0]?.message).toBe(
      'Room names use letters a-z, digits, "-" and "_".',
    );
  });
});

describe('DisplayName', () => {
  it('trims, and counts the length after trimming', () => {
    expect(DisplayName.parse('  Ann  ')).toBe('Ann');
    expect(DisplayName.parse(` ${'a'.repeat(DISPLAY_NAME_MAX)} `)).toHaveLength(DISPLAY_NAME_MAX);
  });

  it.each(['Ann', 'José María', '李小龍', 'Ann 🎉', "O'Brien", '<b>not bold</b>'])('accepts %j', (name) => {
    expect(DisplayName.parse(name)).toBe(name);
  });

  it.each([
    ['empty', ''],
    ['only spaces', '    '],
    ['too long', 'a'.repeat(DISPLAY_NAME_MAX + 1)],
    ['a newline inside', 'Ann\nBob'],
    ['a NUL', 'Ann\u0000'],
    ['a bell', 'Ann\u0007'],
    ['an escape sequence', 'Ann\u001b[31m'],
    ['DEL', 'Ann\u007f'],
    ['a C1 control', 'Ann\u0085'],
    ['a right-to-left override', 'evil\u202Egnp.exe'],
    ['a left-to-right embedding', 'a\u202Ab'],
    ['a bidi isolate', 'a\u2066b\u2069'],
    ['not a string', { name: 'Ann' }],
  ])('rejects %s', (_label, name) => {
    expect(DisplayName.safeParse(name).success).toBe(false);
  });

  it('says why', () => {
    expect(DisplayName.safeParse('  ').error?.issues[0]?.message).toBe('Name is empty.');
    expect(DisplayName.safeParse('a\u0000').error?.issues[0]?.message).toBe(
      'Name contains unprintable characters.',
    );
  });
});

describe('PeerId and ResumeToken', () => {
  it('accept what the server mints', () => {
    expect(PeerId.safeParse('jaTRC_sydGjv').success).toBe(true);
    expect(ResumeToken.safeParse('iUrEDPf6xjnnR3f-v2RaBuInjbObxmY1Rcq87EkFelU').success).toBe(true);
  });

  it.each(['', 'short', 'has space here', 'slash/slash/x', 'x'.repeat(33), 'plus+plus+plus'])(
    'a peer id rejects %j',
    (id) => {
      expect(PeerId.safeParse(id).success).toBe(false);
    },
  );

  it.each(['', 'x'.repeat(15), 'x'.repeat(513), 'padding=padding=padding='])(
    'a token rejects %j',
    (token) => {
      expect(ResumeToken.safeParse(token).success).toBe(false);
    },
  );
});

describe('RoomPassword', () => {
  it.each([
    'a',
    'correct horse battery staple',
    ' spaced ',
    'pässwörd',
    '🔑🔑',
    'p'.repeat(ROOM_PASSWORD_MAX),
  ])('accepts %j unchanged', (password) => {
    expect(RoomPassword.parse(password)).toBe(password);
  });

  it.each([
    ['empty', ''],
    ['too long', 'p'.repeat(ROOM_PASSWORD_MAX + 1)],
    ['a number', 1234],
    ['null', null],
  ])('rejects %s, saying why without repeating it', (_label, password) => {
    const result = RoomPassword.safeParse(password);
    expect(result.success).toBe(false);
    if (typeof password === 'string' && password !== '') {
      expect(result.error?.issues[0]?.message).not.toContain(password);
    }
  });
});

describe('DisplayName against names that hide or break', () => {
  it.each([
    ['a zero-width space only', '\u200b'],
    ['a zero-width space inside', 'An\u200bn'],
    ['a Hangul filler', '\u3164'],
    ['the braille blank', '\u2800'],
    ['a byte order mark', 'An\ufeffn'],
    ['a line separator', 'Ann\u2028Bob'],
    ['a paragraph separator', 'Ann\u2029Bob'],
    ['a right-to-left mark', 'Ann\u200f'],
    ['a lone high surrogate', 'Ann\ud83d'],
    ['a lone low surrogate', '\ude00Ann'],
    ['combining marks stacked on one letter', `A${'\u0301'.repeat(12)}nn`],
    ['only marks', '\u0301\u0301'],
  ])('rejects %s', (_label, name) => {
    expect(DisplayName.safeParse(name).success).toBe(false);
  });

  it.each(['Nguyễn', 'Ann 👩‍👩‍👧', 'می‌خواهم', 'क्षत्रिय', 'Zoë', '周会'])('still accepts %j', (name) => {
    expect(DisplayName.parse(name)).toBe(name);
  });

  it('says what is wrong in one line', () => {
    expect(DisplayName.safeParse('\u200b').error?.issues[0]?.message).toBe(
      'Name contains invisible characters.',
    );
    expect(DisplayName.safeParse('\u0301').error?.issues[0]?.message).toBe('Name has nothing visible in it.');
  });
});

describe('distinctNames', () => {
  it('labels names that look alike with a part of the peer id, and leaves the others alone', () => {
    const labels = distinctNames([
      { id: 'k3Jd9sXq', name: 'Ann' },
      { id: 'Zp0aQ71m', name: '\u0410nn' }, // Cyrillic А
      { id: 'Yy77aaBB', name: 'ＡＮＮ' }, // full width
      { id: 'Bb12cdEF', name: 'Bob' },
    ]);
    expect(labels.get('k3Jd9sXq')).toBe('Ann · k3Jd');
    expect(labels.get('Zp0aQ71m')).toBe('\u0410nn · Zp0a');
    expect(labels.get('Yy77aaBB')).toBe('ＡＮＮ · Yy77');
    expect(labels.get('Bb12cdEF')).toBe('Bob');
  });

  it('folds marks, case and the look-alike Latin letters of other scripts', () => {
    expect(nameSkeleton('Zoë')).toBe(nameSkeleton('zoe'));
    expect(nameSkeleton('Раul')).toBe(nameSkeleton('Paul')); // Cyrillic Р and а
    expect(nameSkeleton('Bill')).toBe(nameSkeleton('BiII'));
    expect(nameSkeleton('Ann')).not.toBe(nameSkeleton('Anna'));
  });
});
