import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG, ERROR_CODES } from '../../protocol/index.js';
import { LOCAL_ERROR_CODES, type MessageKey, type ParameterisedKey, type Params } from './catalog.js';
import { en } from './en.js';
import { languageFor } from './language.js';
import { zhCN } from './zh-cn.js';

/**
 * Placeholder values for every message that takes some; the compiler insists on one per such key. Each value
 * is one that could not appear by chance, so finding it in the output proves the placeholder is used.
 */
const SAMPLES: { [K in ParameterisedKey]: Params<K>[0] } = {
  'lobby.guestName': { number: '4821' },
  'media.blocked': { device: 'DEVICE' },
  'media.notFound': { device: 'DEVICE' },
  'media.inUse': { device: 'DEVICE' },
  'media.failed': { device: 'DEVICE' },
  'media.notice': { problems: ['PROBLEM-ONE', 'PROBLEM-TWO'], partial: true },
  'media.noticeInCall': { problems: ['PROBLEM-ONE', 'PROBLEM-TWO'], partial: true },
  'layout.pin': { name: 'Zoë' },
  'screen.of': { name: 'Zoë' },
  'settings.unnamed': { device: 'DEVICE', number: 7 },
  'settings.failed': { device: 'DEVICE' },
  'settings.unplugged': { device: 'DEVICE', label: 'LABEL' },
  'settings.unpluggedNone': { device: 'DEVICE' },
  'notice.sharing': { name: 'Zoë' },
  'layout.fullScreen': { name: 'Zoë' },
  'call.count': { count: 37, max: 41 },
  'call.countTitle': { count: 37, max: 41 },
  'tile.unreachable': { name: 'Zoë' },
  'code.advice': { name: 'Zoë' },
  'code.adviceChanged': { name: 'Zoë' },
  'link.direct': { protocol: 'UDP' },
  'link.relayed': { protocol: 'UDP' },
  'link.rtt': { ms: 137 },
  'link.loss': { percent: '3.5%' },
  'link.pathDirect': { protocol: 'UDP' },
  'link.pathRelayed': { protocol: 'UDP' },
  'link.pathRemoteRelay': { protocol: 'UDP' },
  'link.details': { quality: 'QUALITY', path: 'PATH', rtt: 'RTT', loss: 'LOSS' },
  'check.limitedDetail': { serverMessage: 'SERVER-SAYS' },
  'join.roomFull': { room: 'the-room' },
  'join.passwordRequired': { room: 'the-room' },
  'join.rateLimited': { serverMessage: 'SERVER-SAYS', seconds: 29 },
  'name.tooLong': { max: 40 },
  'password.tooLong': { max: 128 },
  'inApp.title': { app: 'SomeApp' },
  'notice.joined': { name: 'Zoë' },
  'notice.left': { name: 'Zoë' },
  'notice.youAreMuted': { key: 'KEY' },
  'call.tabTitle': { room: 'the-room', count: 37, unread: 29 },
  'shortcuts.tooltip': { action: 'ACTION', key: 'KEY' },
  'files.sendTo': { name: 'Zoë' },
  'layout.more': { name: 'Zoë' },
  'files.tooLargeHere': { name: 'Zoë', limit: 'LIMIT' },
  'files.busyHere': { name: 'Zoë' },
  'chat.unread': { count: 37 },
  'reactions.of': { name: 'Zoë', emoji: 'EMOJI' },
  'notice.hand': { name: 'Zoë' },
  'chat.earlier': { name: 'Zoë' },
  'chat.nameTold': { name: 'Zoë', via: 'VIA' },
  'files.save': { name: 'FILE-NAME' },
  'files.preview': { name: 'FILE-NAME' },
  'files.progress': { done: 'DONE', size: 'SIZE' },
  'files.progressOf': { name: 'FILE-NAME' },
  'files.moving': { progress: 'PROGRESS', rate: 'RATE', left: 'LEFT' },
  'files.waitingFor': { name: 'Zoë' },
  'files.cancelFor': { name: 'Zoë' },
  'files.paused': { progress: 'PROGRESS' },
  'files.delivered': { name: 'Zoë' },
  'files.corruptOut': { name: 'Zoë' },
  'files.notSavedOut': { name: 'Zoë' },
  'files.malformed': { name: 'Zoë' },
  'files.declinedBy': { name: 'Zoë' },
  'files.tooLargeFor': { name: 'Zoë', limit: 'LIMIT' },
  'files.busy': { name: 'Zoë' },
  'files.cancelledBy': { name: 'Zoë' },
  'files.left': { name: 'Zoë' },
  'quality.used': { used: 'USED', perHour: 'PERHOUR' },
  'details.budget': { rate: 'RATE' },
  'details.fps': { fps: 47 },
};

/**
 * Placeholders a catalog may leave out on purpose. The server words its rate limits in English, so the
 * Chinese catalog says the wait in its own words rather than quoting it.
 */
const MAY_OMIT: Partial<Record<MessageKey, readonly string[]>> = {
  'check.limitedDetail': ['serverMessage'],
  'join.rateLimited': ['serverMessage'],
};
/** English quotes the server's sentence, which already holds the wait. */
const ENGLISH_MAY_OMIT: Partial<Record<MessageKey, readonly string[]>> = { 'join.rateLimited': ['seconds'] };

/** Latin words a Chinese sentence may hold: names, protocols, and the placeholders' sample values. */
const LATIN_ALLOWED = new Set([
  'Parley',
  'UDP',
  'UTF-8',
  'TCP',
  'TURN',
  'STUN',
  'HTTPS',
  'Wi-Fi',
  'QQ',
  'Facebook',
  'Instagram',
  'LINE',
  'DEVICE',
  'USED',
  'PERHOUR',
  'RATE',
  'Mbps',
  'LABEL',
  'PROBLEM-ONE',
  'PROBLEM-TWO',
  'Zoë',
  'QUALITY',
  'PATH',
  'RTT',
  'LOSS',
  'the-room',
  'SomeApp',
  'KEY',
  'ACTION',
  'FILE-NAME',
  'DONE',
  'SIZE',
  'PROGRESS',
  'RATE',
  'LEFT',
  'LIMIT',
  'SHA-256',
  'EMOJI',
  'VIA',
]);

const CATALOGS = { en, 'zh-CN': zhCN } as const;
const KEYS = Object.keys(en) as MessageKey[];

function render(catalog: typeof en, key: MessageKey): string {
  const message = catalog[key] as string | ((params: unknown) => string);
  return typeof message === 'function' ? message(SAMPLES[key as ParameterisedKey]) : message;
}

function sampleValues(key: MessageKey): [name: string, value: string][] {
  const sample = SAMPLES[key as ParameterisedKey] as Record<string, unknown> | undefined;
  return Object.entries(sample ?? {}).flatMap(([name, value]) =>
    Array.isArray(value)
      ? value.map((item): [string, string] => [name, String(item)])
      : typeof value === 'boolean'
        ? []
        : [[name, String(value)] as [string, string]],
  );
}

describe('the catalogs', () => {
  it('hold the same keys, each a string in both or a function in both', () => {
    expect(Object.keys(zhCN).sort()).toEqual([...KEYS].sort());
    for (const key of KEYS) expect(typeof zhCN[key], key).toBe(typeof en[key]);
  });

  it('have samples for exactly the messages that take placeholders', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(KEYS.filter((key) => typeof en[key] === 'function').sort());
  });

  for (const [language, catalog] of Object.entries(CATALOGS)) {
    it(`${language}: every message is words, with every placeholder filled in`, () => {
      for (const key of KEYS) {
        const text = render(catalog, key);
        expect(text.trim(), key).not.toBe('');
        expect(text, key).not.toMatch(/undefined|NaN|\[object |\$\{|\{\w+\}/);
        const mayOmit = (language === 'en' ? ENGLISH_MAY_OMIT : MAY_OMIT)[key] ?? [];
        for (const [name, value] of sampleValues(key)) {
          if (mayOmit.includes(name)) continue;
          expect(text, `${key}: placeholder ${name}`).toContain(value);
        }
      }
    });
  }

  it('zh-CN: no English words are left, apart from names and protocols', () => {
    for (const key of KEYS) {
      const words = render(zhCN, key).match(/[A-Za-zë][\w.ë-]*/g) ?? [];
      for (const word of words) expect(LATIN_ALLOWED.has(word), `${key}: "${word}"`).toBe(true);
    }
  });

  it('word every error code: the server’s (in English, its default message) and the page’s own', () => {
    for (const code of ERROR_CODES) expect(en[`error.${code}`]).toBe(ERROR_CATALOG[code].message);
    for (const code of [...ERROR_CODES, ...LOCAL_ERROR_CODES]) {
      expect(zhCN[`error.${code}`], code).toMatch(/\p{Script=Han}/u);
    }
  });

  it('say a count of people in English with the plural the count needs', () => {
    expect(en['call.countTitle']({ count: 1, max: 2 })).toBe('1 person in the call, at most 2');
    expect(en['call.countTitle']({ count: 2, max: 2 })).toBe('2 people in the call, at most 2');
  });

  it('say a rate limit’s wait in Chinese, in minutes once it is long', () => {
    expect(zhCN['join.rateLimited']({ serverMessage: '', seconds: 30 })).toContain('30 秒');
    expect(zhCN['join.rateLimited']({ serverMessage: '', seconds: 600 })).toContain('10 分钟');
    expect(zhCN['join.rateLimited']({ serverMessage: '', seconds: undefined })).toContain('稍后');
  });
});

describe('languageFor', () => {
  it.each([
    [['zh'], 'zh-CN'],
    [['zh-CN'], 'zh-CN'],
    [['zh-Hans'], 'zh-CN'],
    [['zh-Hans-CN'], 'zh-CN'],
    [['zh-SG'], 'zh-CN'],
    // No Traditional catalog yet: Simplified reads better to them than English.
    [['zh-TW'], 'zh-CN'],
    [['zh-HK'], 'zh-CN'],
    [['en-US', 'zh-CN'], 'en'],
    [['fr-FR', 'zh-CN', 'en'], 'zh-CN'],
    [['fr-FR', 'de'], 'en'],
    [[], 'en'],
  ])('%j reads %s', (preferred, language) => {
    expect(languageFor(preferred)).toBe(language);
  });

  it('sets a Latin name apart from Chinese words with spaces, a Chinese name not', () => {
    expect(zhCN['notice.joined']({ name: 'Carol' })).toBe('Carol 加入了通话');
    expect(zhCN['notice.joined']({ name: '王芳' })).toBe('王芳加入了通话');
    expect(zhCN['files.sendTo']({ name: 'Ann' })).toBe('给 Ann 发送文件');
    expect(zhCN['files.sendTo']({ name: '李 Li' })).toBe('给李 Li 发送文件');
    expect(zhCN['layout.pin']({ name: 'Ann 2' })).toBe('固定 Ann 2');
  });
});
