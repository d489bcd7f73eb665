import { describe, expect, it } from 'vitest';
import { ChatHistory, chatLineKey, type ChatLine } from './chat.js';

const line = (from: string, id: string, text = 'hi'): ChatLine => ({
  id,
  from,
  own: false,
  name: from,
  text,
  sentAt: 0,
});

describe('ChatHistory', () => {
  it('keeps lines in arrival order, each (sender, id) once', () => {
    const chat = new ChatHistory();
    expect(chat.add(line('a', '1', 'first'))).toBe(true);
    expect(chat.add(line('b', '1', 'same id, other sender'))).toBe(true);
    expect(chat.add(line('a', '1', 'relayed again'))).toBe(false);
    expect(chat.lines.map((l) => l.text)).toEqual(['first', 'same id, other sender']);
  });

  it('drops the oldest lines past its limit, and forgets their keys', () => {
    const chat = new ChatHistory(2);
    for (const id of ['1', '2', '3']) chat.add(line('a', id));
    expect(chat.lines.map((l) => l.id)).toEqual(['2', '3']);
    expect(chat.add(line('a', '1'))).toBe(true);
  });

  it('gives lines of different senders with the same id different keys', () => {
    expect(chatLineKey(line('a', '1'))).not.toBe(chatLineKey(line('b', '1')));
  });
});
