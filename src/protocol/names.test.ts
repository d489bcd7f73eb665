import { describe, expect, it } from 'vitest';
import {
  DISPLAY_NAME_MAX,
  DisplayName,
  PeerId,
  ROOM_NAME_MAX,
  ROOM_NAME_MAX_BYTES,
  ROOM_NAME_MESSAGES,
  ROOM_PASSWORD_MAX,
  ResumeToken,
  RoomName,
  RoomPassword,
  normalizeRoomName,
  roomNameProblem,
} from './names.js';
import { distinctNames, nameSkeleton } from './look-alike-names.js';

describe('normalizeRoomName', () => {
  it.each([
    ['Team Meeting ', 'team-meeting'],
    ['team-meeting', 'team-meeting'],
    ['  Lots   of space  ', 'lots-of-space'],
    ['UPPER_case-9', 'upper_case-9'],
    ['', ''],
    ['周会', '周会'],
    ['Ｔｅａｍ', 'team'],
    ['Ｔｅａｍ\u3000周会', 'team-周会'],
    ['Café', 'café'],
    ['ΟΔΟΣ', 'οδοσ'],
    ['①', '1'],
    ['ｱｲ', 'アイ'],
  ])('turns %j into %j', (input, output) => {
    expect(normalizeRoomName(input)).toBe(output);
  });

  it('is stable: a normalised name normalises to itself', () => {
    for (const typed of ['Ｔｅａｍ', 'İstanbul', 'ΟΔΟΣ', 'ﬀ', 'Ⅻ', 'ǅ', '㍿']) {
      const once = normalizeRoomName(typed);
      expect(normalizeRoomName(once), typed).toBe(once);
    }
  });

  it('makes what people type into valid room names', () => {
    for (const typed of [
      'Team Meeting',
      ' Friday standup ',
      'room 42',
      '周会',
      '周会-team',
      'Ｔｅａｍ',
      'Café',
    ]) {
      expect(RoomName.safeParse(normalizeRoomName(typed)).success, typed).toBe(true);
    }
  });

  it('leaves what cannot be a room name for RoomName to reject', () => {
    for (const typed of ['a/b', '-dash-', '   ', 'a.b', '😀']) {
      expect(RoomName.safeParse(normalizeRoomName(typed)).success, typed).toBe(false);
    }
  });
});

describe('roomNameProblem', () => {
  it.each([
    '周会',
    '周会-team',
    'Ｔｅａｍ',
    'Nguyễn',
    'क्षत्रिय',
    'สวัสดี',
    'שָׁלוֹם',
    'Привет_мир',
    '会議室',
    '회의',
    '٣٤',
    '周'.repeat(ROOM_NAME_MAX),
  ])('accepts %j', (typed) => {
    expect(roomNameProblem(typed)).toBeUndefined();
  });

  it.each([
    ['nothing', '', 'empty'],
    ['only spaces', ' \u3000 ', 'empty'],
    ['65 characters', 'x'.repeat(ROOM_NAME_MAX + 1), 'tooLong'],
    ['65 Chinese characters', '周'.repeat(ROOM_NAME_MAX + 1), 'tooLong'],
    ['49 characters of 4 bytes', '𠀀'.repeat(49), 'tooManyBytes'],
    ['a zero-width space', '周\u200b会', 'invisible'],
    ['a zero-width non-joiner', 'a\u200cb', 'invisible'],
    ['a zero-width joiner', 'a\u200db', 'invisible'],
    ['a word joiner', 'a\u2060b', 'invisible'],
    ['a left-to-right mark', 'a\u200eb', 'invisible'],
    ['a right-to-left mark', 'a\u200f', 'invisible'],
    ['an Arabic letter mark', 'a\u061cb', 'invisible'],
    ['a right-to-left override', 'evil\u202egnp', 'invisible'],
    ['a left-to-right embedding', 'a\u202ab', 'invisible'],
    ['a bidi isolate', 'a\u2066b\u2069', 'invisible'],
    ['a line separator', 'a\u2028b', 'invisible'],
    ['a paragraph separator', 'a\u2029b', 'invisible'],
    ['a leading BOM', '\ufeffroom', 'invisible'],
    ['a soft hyphen', 'ro\u00adom', 'invisible'],
    ['a NUL', 'room\u0000', 'invisible'],
    ['a tab', 'a\tb', 'invisible'],
    ['a newline', 'a\nb', 'invisible'],
    ['a C1 control', 'a\u0085b', 'invisible'],
    ['a Hangul filler', '\u3164', 'invisible'],
    ['a variation selector', '周\ufe00', 'invisible'],
    ['a tag character', 'a\u{e0041}', 'invisible'],
    ['a slash', 'a/b', 'badCharacter'],
    ['a dot', 'a.b', 'badCharacter'],
    ['a colon', 'a:b', 'badCharacter'],
    ['an emoji', 'party🎉', 'badCharacter'],
    ['CJK punctuation', '周会。', 'badCharacter'],
    ['a leading dash', '-room', 'badCharacter'],
    ['a trailing underscore', 'room_', 'badCharacter'],
    ['a leading mark', '\u0301a', 'badCharacter'],
    ['a lone surrogate', 'a\ud800', 'badCharacter'],
  ] as const)('refuses %s as %s', (_label, typed, reason) => {
    expect(roomNameProblem(typed)).toBe(reason);
  });

  it('counts the byte limit in UTF-8: 192 bytes pass, 193 do not', () => {
    expect(ROOM_NAME_MAX_BYTES).toBe(192);
    expect(roomNameProblem('𠀀'.repeat(48))).toBeUndefined();
    expect(roomNameProblem(`${'𠀀'.repeat(47)}周a`)).toBeUndefined(); // 192
    expect(roomNameProblem(`${'𠀀'.repeat(47)}周ab`)).toBe('tooManyBytes'); // 193
  });

  it('has an English message for each reason', () => {
    for (const message of Object.values(ROOM_NAME_MESSAGES)) expect(message).toMatch(/^Room name/);
  });
});

describe('RoomName', () => {
  it.each([
    'a',
    'kitchen',
    'team-meeting',
    'room_42',
    'a1-b2_c3',
    'x'.repeat(ROOM_NAME_MAX),
    '周会',
    '周会-team',
    'café',
    '𠀀'.repeat(48),
  ])('accepts %j', (name) => {
    expect(RoomName.parse(name)).toBe(name);
  });

  it.each([
    ['empty', ''],
    ['upper case', 'Kitchen'],
    ['full width', 'ｔｅａｍ'],
    ['a space', 'team meeting'],
    ['a leading dash', '-room'],
    ['a trailing underscore', 'room_'],
    ['a slash', 'a/b'],
    ['a dot', 'a.b'],
    ['percent-encoding', 'a%20b'],
    ['a zero-width space', '周\u200b会'],
    ['too long', 'x'.repeat(ROOM_NAME_MAX + 1)],
    ['too many bytes', '𠀀'.repeat(49)],
    ['not a string', 42],
  ])('rejects %s', (_label, name) => {
    expect(RoomName.safeParse(name).success).toBe(false);
  });

  it('says why, in words and as a reason', () => {
    const issue = (name: string) => RoomName.safeParse(name).error?.issues[0];
    expect(issue('')?.message).toBe('Room name is empty.');
    expect(issue('')).toMatchObject({ code: 'custom', params: { reason: 'empty' } });
    expect(issue('a b')?.message).toBe(ROOM_NAME_MESSAGES.badCharacter);
    expect(issue('a\u202eb')).toMatchObject({ params: { reason: 'invisible' } });
    expect(issue('𠀀'.repeat(49))).toMatchObject({ params: { reason: 'tooManyBytes' } });
    expect(issue('Team')?.message).toMatch(/not normalised/);
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
