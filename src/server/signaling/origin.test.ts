import { describe, expect, it } from 'vitest';
import { judgeOrigin } from './origin.js';

const self = { allowed: ['self'], plainHttp: false };

describe('judgeOrigin', () => {
  it("allows the page's own origin over TLS, default port or not", () => {
    expect(judgeOrigin('https://meet.example.org', 'meet.example.org', self)).toBe('allowed');
    expect(judgeOrigin('https://meet.example.org', 'meet.example.org:443', self)).toBe('allowed');
    expect(judgeOrigin('https://MEET.example.org:8443', 'meet.example.org:8443', self)).toBe('allowed');
    expect(judgeOrigin('https://[::1]:8443', '[::1]:8443', self)).toBe('allowed');
  });

  it('refuses another host, another port, or plain http when serving TLS', () => {
    expect(judgeOrigin('https://evil.example', 'meet.example.org', self)).toBe('refused');
    expect(judgeOrigin('https://meet.example.org:9443', 'meet.example.org:8443', self)).toBe('refused');
    expect(judgeOrigin('http://meet.example.org:8443', 'meet.example.org:8443', self)).toBe('refused');
  });

  it('allows http and https for the own host behind a proxy (plain HTTP)', () => {
    const policy = { allowed: ['self'], plainHttp: true };
    expect(judgeOrigin('https://meet.example.org', 'meet.example.org', policy)).toBe('allowed');
    expect(judgeOrigin('http://meet.example.org', 'meet.example.org', policy)).toBe('allowed');
  });

  it('allows listed origins, and only those when self is not listed', () => {
    const policy = { allowed: ['https://intranet.example.org'], plainHttp: false };
    expect(judgeOrigin('https://intranet.example.org', 'meet.example.org', policy)).toBe('allowed');
    expect(judgeOrigin('https://meet.example.org', 'meet.example.org', policy)).toBe('refused');
  });

  it('reports a missing Origin, and refuses null and anything that is not an origin', () => {
    expect(judgeOrigin(undefined, 'meet.example.org', self)).toBe('missing');
    for (const origin of ['null', '', 'meet.example.org', 'https://meet.example.org/x', 'ftp://a'])
      expect(judgeOrigin(origin, 'meet.example.org', self)).toBe('refused');
    // No Host header: nothing to compare with.
    expect(judgeOrigin('https://meet.example.org', undefined, self)).toBe('refused');
  });
});
