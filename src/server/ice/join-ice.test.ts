import { describe, expect, it } from 'vitest';
import { hostnameOf, joinIce } from './join-ice.js';

const NO_TURN = { stunPort: 3478, turnUrls: [], turnTtl: 86_400, icePolicy: 'all' } as const;

describe('hostnameOf', () => {
  it.each([
    ['chat.example.org:8443', 'chat.example.org'],
    ['Chat.Example.org', 'chat.example.org'],
    ['127.0.0.1:3000', '127.0.0.1'],
    ['[::1]:8443', '[::1]'],
    ['[2001:db8::1]', '[2001:db8::1]'],
  ])('reads %j as %j', (header, host) => {
    expect(hostnameOf(header)).toBe(host);
  });

  it.each([undefined, '', 'evil.org/x', 'user@host', 'a b', 'host:99999', 'host?x', '[::1'])(
    'refuses %j',
    (header) => {
      expect(hostnameOf(header)).toBeUndefined();
    },
  );
});

describe('joinIce', () => {
  it('points STUN at the host the client used, on the STUN port', () => {
    expect(joinIce(NO_TURN, 'peer', 'chat.example.org:8443')).toEqual({
      iceServers: [{ urls: ['stun:chat.example.org:3478'] }],
      iceTransportPolicy: 'all',
    });
  });

  it('leaves STUN out when it is off or the Host header is unusable', () => {
    expect(joinIce({ ...NO_TURN, stunPort: 0 }, 'peer', 'example.org').iceServers).toEqual([]);
    expect(joinIce(NO_TURN, 'peer', undefined).iceServers).toEqual([]);
    expect(joinIce(NO_TURN, 'peer', 'example.org/../x').iceServers).toEqual([]);
  });

  it('adds TURN with credentials minted for the peer, and the policy', () => {
    const ice = joinIce(
      {
        stunPort: 0,
        turnUrls: ['turn:t.example.org'],
        turnSecret: 'secret',
        turnTtl: 3600,
        icePolicy: 'relay',
      },
      'peer',
      'example.org',
      1_699_996_400_000,
    );
    expect(ice).toEqual({
      iceServers: [
        {
          urls: ['turn:t.example.org'],
          username: '1700000000:peer',
          credential: 'm9GnlZWvaZKjLjGseKws6UpgiA0=',
        },
      ],
      iceTransportPolicy: 'relay',
    });
  });
});
