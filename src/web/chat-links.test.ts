import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linkify, type ChatSegment } from './chat-links.js';

const text = (value: string): ChatSegment => ({ kind: 'text', text: value });
const link = (value: string, href = value): ChatSegment => ({ kind: 'link', text: value, href });

describe('linkify', () => {
  it('leaves text without links as one piece, and nothing as nothing', () => {
    expect(linkify('hello there')).toEqual([text('hello there')]);
    expect(linkify('')).toEqual([]);
  });

  it('finds http and https links among words, with the address the browser would open', () => {
    expect(linkify('see https://example.com/a?b=1#c and http://example.org')).toEqual([
      text('see '),
      link('https://example.com/a?b=1#c'),
      text(' and '),
      link('http://example.org', 'http://example.org/'),
    ]);
    expect(linkify('HTTPS://Example.COM/Path')).toEqual([
      link('HTTPS://Example.COM/Path', 'https://example.com/Path'),
    ]);
    expect(linkify('https://de.wikipedia.org/wiki/Köln')).toEqual([
      link('https://de.wikipedia.org/wiki/Köln', 'https://de.wikipedia.org/wiki/K%C3%B6ln'),
    ]);
    expect(linkify('https://[::1]:8080/x http://localhost:3000')).toEqual([
      link('https://[::1]:8080/x'),
      text(' '),
      link('http://localhost:3000', 'http://localhost:3000/'),
    ]);
  });

  it('leaves out the punctuation that ends a sentence', () => {
    for (const end of ['.', ',', ';', ':', '!', '?', '...', '?!', "'", '*'])
      expect(linkify(`go to https://example.com/x${end}`)).toEqual([
        text('go to '),
        link('https://example.com/x'),
        text(end),
      ]);
    expect(linkify('https://example.com/a.html.')).toEqual([link('https://example.com/a.html'), text('.')]);
    expect(linkify('https://example.com:8080:')).toEqual([
      link('https://example.com:8080', 'https://example.com:8080/'),
      text(':'),
    ]);
  });

  it('keeps a closing bracket that the link opens, and leaves out the others', () => {
    expect(linkify('https://en.wikipedia.org/wiki/Foo_(bar)')).toEqual([
      link('https://en.wikipedia.org/wiki/Foo_(bar)'),
    ]);
    expect(linkify('(see https://en.wikipedia.org/wiki/Foo_(bar)).')).toEqual([
      text('(see '),
      link('https://en.wikipedia.org/wiki/Foo_(bar)'),
      text(').'),
    ]);
    expect(linkify('(https://example.com)')).toEqual([
      text('('),
      link('https://example.com', 'https://example.com/'),
      text(')'),
    ]);
    expect(linkify('[docs](https://example.com/docs)')).toEqual([
      text('[docs]('),
      link('https://example.com/docs'),
      text(')'),
    ]);
    expect(linkify('[https://example.com/a[1]]')).toEqual([
      text('['),
      link('https://example.com/a[1]'),
      text(']'),
    ]);
    expect(linkify('{https://example.com/x}')).toEqual([text('{'), link('https://example.com/x'), text('}')]);
  });

  it('ends a link at quotes and angle brackets around it', () => {
    expect(linkify('"https://example.com/x"')).toEqual([text('"'), link('https://example.com/x'), text('"')]);
    expect(linkify("'https://example.com/x'")).toEqual([text("'"), link('https://example.com/x'), text("'")]);
    expect(linkify('<https://example.com/x>')).toEqual([text('<'), link('https://example.com/x'), text('>')]);
    expect(linkify('`https://example.com/x`')).toEqual([text('`'), link('https://example.com/x'), text('`')]);
    expect(linkify('“https://example.com/x”')).toEqual([text('“'), link('https://example.com/x'), text('”')]);
  });

  it('ends a link at Chinese text and full-width punctuation that follow it without a space', () => {
    expect(linkify('看这个https://example.com/a?b=1，很好！')).toEqual([
      text('看这个'),
      link('https://example.com/a?b=1'),
      text('，很好！'),
    ]);
    expect(linkify('网址是https://example.com/x。')).toEqual([
      text('网址是'),
      link('https://example.com/x'),
      text('。'),
    ]);
    expect(linkify('链接：https://example.com/x的内容')).toEqual([
      text('链接：'),
      link('https://example.com/x'),
      text('的内容'),
    ]);
    expect(linkify('（https://example.com/x）「https://example.org/y」')).toEqual([
      text('（'),
      link('https://example.com/x'),
      text('）「'),
      link('https://example.org/y'),
      text('」'),
    ]);
    for (const mark of ['。', '，', '！', '？', '：', '；', '、', '）', '」', '』', '》', '】', '…', '　'])
      expect(linkify(`https://example.com/x${mark}后面`)).toEqual([
        link('https://example.com/x'),
        text(`${mark}后面`),
      ]);
    expect(linkify('見てhttps://example.jp/pathです')).toEqual([
      text('見て'),
      link('https://example.jp/path'),
      text('です'),
    ]);
    expect(linkify('https://example.kr/x를 보세요')).toEqual([
      link('https://example.kr/x'),
      text('를 보세요'),
    ]);
  });

  it('keeps a percent-encoded Chinese path, as browsers copy it', () => {
    const address = 'https://zh.wikipedia.org/wiki/%E4%B8%AD%E6%96%87';
    expect(linkify(`维基：${address}。`)).toEqual([text('维基：'), link(address), text('。')]);
  });

  it('never makes a link of another scheme, or of an address without one', () => {
    for (const input of [
      'javascript:alert(1)',
      'JavaScript:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'ftp://example.com/file',
      'www.example.com',
      'example.com/path',
      'mailto:someone@example.com',
      'xhttp://example.com',
      'https//example.com',
      'https:/example.com',
    ])
      expect(linkify(input)).toEqual([text(input)]);
  });

  it('takes only the http link out of text of another scheme', () => {
    expect(linkify("javascript:open('https://example.com')")).toEqual([
      text("javascript:open('"),
      link('https://example.com', 'https://example.com/'),
      text("')"),
    ]);
  });

  it('leaves as text an address with a user name or password, or without a host', () => {
    for (const input of [
      'https://user:pass@example.com',
      'https://bank.example.com@evil.example',
      'https://@example.com',
      'https://',
      'http://',
      'https://.',
      'http:///example.com',
      'https://?q=1',
      'https://:443',
    ])
      expect(linkify(`${input} x`)).toEqual([text(`${input} x`)]);
    expect(linkify('https://example.com/@user')).toEqual([link('https://example.com/@user')]);
  });

  it('ends a link at invisible and direction-changing characters', () => {
    expect(linkify('https://example.com/x\u202egpj.exe')).toEqual([
      link('https://example.com/x'),
      text('\u202egpj.exe'),
    ]);
    expect(linkify('https://example.com/x\u200by')).toEqual([link('https://example.com/x'), text('\u200by')]);
    expect(linkify('https://example.com/x\ny')).toEqual([link('https://example.com/x'), text('\ny')]);
  });

  it('finds several links, and keeps text between them whole', () => {
    expect(linkify('a https://a.example/1 b https://b.example/2. c')).toEqual([
      text('a '),
      link('https://a.example/1'),
      text(' b '),
      link('https://b.example/2'),
      text('. c'),
    ]);
    expect(linkify('https://user@a.example https://b.example')).toEqual([
      text('https://user@a.example '),
      link('https://b.example', 'https://b.example/'),
    ]);
  });

  /** Text made of the pieces that decide where links begin and end, and of anything else. */
  const chatText = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          'https://',
          'http://',
          'HTTP://',
          'javascript:',
          'www.',
          'example.com',
          '/path',
          '?q=1',
          '#top',
          '@',
          ':',
          '.',
          ',',
          '(',
          ')',
          '[',
          ']',
          ' ',
          '\n',
          '中文',
          '。',
          '，',
          '）',
          '」',
          '\u202e',
          '\ud800',
          '\udc00',
          '%E4%B8%AD',
        ),
        fc.string({ unit: 'binary', maxLength: 8 }),
        fc.string({ unit: 'grapheme', maxLength: 8 }),
      ),
      { maxLength: 30 },
    )
    .map((pieces) => pieces.join(''));

  it('gives back the text exactly, with only http and https links, whatever the text', () => {
    fc.assert(
      fc.property(chatText, (input) => {
        const segments = linkify(input);
        expect(segments.map((segment) => segment.text).join('')).toBe(input);
        for (const [i, segment] of segments.entries()) {
          expect(segment.text).not.toBe('');
          if (segment.kind === 'text') {
            expect(segments[i + 1]?.kind).not.toBe('text');
            continue;
          }
          expect(segment.href).toMatch(/^https?:\/\//);
          expect(segment.text).toMatch(/^https?:\/\/\S+$/i);
          expect(segment.text).not.toMatch(/^https?:\/\/[^/?#\\]*@/i);
          expect(new URL(segment.href).username).toBe('');
        }
      }),
      { numRuns: 2000 },
    );
  });
});
