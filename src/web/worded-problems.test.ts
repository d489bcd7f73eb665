import { describe, expect, it } from 'vitest';
import { translator } from './i18n/index.js';
import { en } from './i18n/en.js';
import { zhCN } from './i18n/zh-cn.js';
import { joinProblemText } from './join-problem.js';
import { mediaNoticeText } from './media.js';

const english = translator(en);
const chinese = translator(zhCN);

describe('a failed join in words', () => {
  it('reads in English as it always has', () => {
    expect(joinProblemText({ code: 'ROOM_FULL', room: 'r1' }, english)).toBe(
      'The room “r1” is full. Try another room, or come back when someone has left.',
    );
    expect(joinProblemText({ code: 'PASSWORD_REQUIRED', room: 'r1' }, english)).toBe(
      'The room “r1” needs a password. Enter it and press Join.',
    );
    expect(joinProblemText({ code: undefined, room: 'r1' }, english)).toBe(
      'Could not join the room. Check your connection and try again.',
    );
    const limited = {
      code: 'RATE_LIMITED',
      room: 'r1',
      message: 'Wait a minute.',
      retryAfterMs: 30_000,
    } as const;
    expect(joinProblemText(limited, english)).toBe('Wait a minute.');
    expect(joinProblemText(limited, chinese)).toBe('尝试次数太多，请 30 秒后再试。');
  });

  it('shows any other code as its catalog entry', () => {
    const problem = { code: 'VERSION_MISMATCH', room: 'r1', message: 'whatever' } as const;
    expect(joinProblemText(problem, english)).toBe('This page is out of date. Reload it to continue.');
    expect(joinProblemText(problem, chinese)).toBe('这个页面版本过旧，请刷新后继续。');
  });
});

describe('missing devices in words', () => {
  const none = {
    kind: 'missing',
    problems: [
      { device: 'microphone', reason: 'not-found' },
      { device: 'camera', reason: 'not-found' },
    ],
    partial: false,
  } as const;

  const bothBlocked = {
    kind: 'missing',
    problems: [
      { device: 'microphone', reason: 'blocked' },
      { device: 'camera', reason: 'blocked' },
    ],
    partial: false,
  } as const;

  it('reads in English, saying a reason shared by both devices once', () => {
    expect(mediaNoticeText(none, english)).toBe(
      'No camera or microphone was found. You can still join and chat.',
    );
    expect(mediaNoticeText(bothBlocked, english)).toBe(
      "The camera and microphone are blocked (allow them in the browser's site settings). You can still join and chat.",
    );
    expect(
      mediaNoticeText(
        { kind: 'missing', problems: [{ device: 'camera', reason: 'blocked' }], partial: true },
        english,
      ),
    ).toBe(
      "The camera is blocked (allow it in the browser's site settings). You can still join with what you have and chat.",
    );
    expect(
      mediaNoticeText(
        {
          kind: 'missing',
          problems: [
            { device: 'microphone', reason: 'in-use' },
            { device: 'camera', reason: 'not-found' },
          ],
          partial: false,
        },
        english,
      ),
    ).toBe(
      'The microphone is in use by another program and no camera was found. You can still join and chat.',
    );
  });

  it('no longer speaks of joining once in the call', () => {
    expect(mediaNoticeText(none, english, { inCall: true })).toBe(
      'No camera or microphone was found. You can still chat.',
    );
    expect(
      mediaNoticeText(
        { kind: 'missing', problems: [{ device: 'camera', reason: 'blocked' }], partial: true },
        english,
        { inCall: true },
      ),
    ).toBe(
      "The camera is blocked (allow it in the browser's site settings). You are in the call with what works.",
    );
    expect(mediaNoticeText({ kind: 'insecure' }, english, { inCall: true })).not.toMatch(/join/i);
  });

  it('reads in Chinese', () => {
    expect(mediaNoticeText(none, chinese)).toBe('没有找到摄像头或麦克风。你仍然可以加入并聊天。');
    expect(mediaNoticeText(bothBlocked, chinese, { inCall: true })).toBe(
      '摄像头和麦克风被禁止使用（请在浏览器的网站设置中允许）。你仍然可以聊天。',
    );
  });
});
