import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IceServer } from '../../protocol/index.js';
import { iceServersFor, mintTurnCredentials } from './turn-credentials.js';

// 1_700_000_000 s is the expiry; minted one hour before it.
const NOW = (1_700_000_000 - 3600) * 1000;

describe('mintTurnCredentials', () => {
  it('matches a value computed independently with openssl', () => {
    // printf '%s' '1700000000:peer' | openssl dgst -sha1 -hmac secret -binary | base64
    const minted = mintTurnCredentials({ secret: 'secret', ttlSeconds: 3600, id: 'peer', now: NOW });
    expect(minted).toEqual({
      username: '1700000000:peer',
      credential: 'm9GnlZWvaZKjLjGseKws6UpgiA0=',
      expiresAt: 1_700_000_000_000,
    });
  });

  it('is base64(HMAC-SHA1(secret, username)) for any secret, id and lifetime', () => {
    const minted = mintTurnCredentials({
      secret: 'ünïcødé secret',
      ttlSeconds: 86_400,
      id: 'Ab3_x-Yz9',
      now: NOW,
    });
    expect(minted.username).toBe(`${1_700_000_000 - 3600 + 86_400}:Ab3_x-Yz9`);
    expect(minted.credential).toBe(
      createHmac('sha1', Buffer.from('ünïcødé secret', 'utf8')).update(minted.username).digest('base64'),
    );
  });

  it('rounds the current time down to whole seconds', () => {
    const minted = mintTurnCredentials({ secret: 's', ttlSeconds: 10, id: 'p', now: 1_000_999 });
    expect(minted.username).toBe('1010:p');
    expect(minted.expiresAt).toBe(1_010_000);
  });

  it('uses the clock when no time is given', () => {
    const before = Math.floor(Date.now() / 1000);
    const expiry = Number(
      mintTurnCredentials({ secret: 's', ttlSeconds: 60, id: 'p' }).username.split(':')[0],
    );
    expect(expiry).toBeGreaterThanOrEqual(before + 60);
    expect(expiry).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 60);
  });

  it.each([
    [{ secret: '', ttlSeconds: 60, id: 'p' }],
    [{ secret: 's', ttlSeconds: 0, id: 'p' }],
    [{ secret: 's', ttlSeconds: 1.5, id: 'p' }],
    [{ secret: 's', ttlSeconds: 60, id: '' }],
    [{ secret: 's', ttlSeconds: 60, id: 'a:b' }],
  ])('refuses misuse: %j', (options) => {
    expect(() => mintTurnCredentials(options)).toThrow(TypeError);
  });
});

describe('iceServersFor', () => {
  const base = {
    stunUrls: ['stun:turn.example.org:3478'],
    turnUrls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349?transport=tcp'],
    turnSecret: 'secret',
    ttlSeconds: 3600,
    peerId: 'peer',
    now: NOW,
  };

  it('lists STUN without credentials and TURN with freshly minted ones', () => {
    const servers = iceServersFor(base);
    expect(servers).toEqual([
      { urls: ['stun:turn.example.org:3478'] },
      {
        urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349?transport=tcp'],
        username: '1700000000:peer',
        credential: 'm9GnlZWvaZKjLjGseKws6UpgiA0=',
      },
    ]);
    for (const server of servers) expect(IceServer.safeParse(server).success).toBe(true);
  });

  it('never hands out the secret', () => {
    const turnSecret = 'do-not-leak-this-secret';
    expect(JSON.stringify(iceServersFor({ ...base, turnSecret }))).not.toContain(turnSecret);
  });

  it('mints per peer', () => {
    const [, a] = iceServersFor({ ...base, peerId: 'alice-001' });
    const [, b] = iceServersFor({ ...base, peerId: 'bob-00002' });
    expect(a?.username).toBe('1700000000:alice-001');
    expect(b?.username).toBe('1700000000:bob-00002');
    expect(a?.credential).not.toBe(b?.credential);
  });

  it('leaves TURN out without a secret, and gives nothing for no URLs', () => {
    expect(iceServersFor({ ...base, turnSecret: undefined })).toEqual([
      { urls: ['stun:turn.example.org:3478'] },
    ]);
    expect(iceServersFor({ ...base, turnSecret: '' })).toEqual([{ urls: ['stun:turn.example.org:3478'] }]);
    expect(iceServersFor({ ...base, stunUrls: [], turnUrls: [] })).toEqual([]);
  });

  it('does not share its URL arrays with the caller', () => {
    const stunUrls = ['stun:a.example:3478'];
    const [stun] = iceServersFor({ ...base, stunUrls });
    stunUrls.push('stun:b.example:3478');
    expect(stun?.urls).toEqual(['stun:a.example:3478']);
  });
});
