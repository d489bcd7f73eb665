import { describe, expect, it } from 'vitest';
import { RequestLimits } from './rate-limits.js';

const generous = { points: 1000, seconds: 60 };

describe('RequestLimits', () => {
  it('refuses past the per-socket limit with the time until the window ends, leaving others alone', async () => {
    const limits = new RequestLimits({
      join: { socket: generous, ip: generous },
      signal: { socket: { points: 2, seconds: 10 }, ip: generous },
      ice: { socket: generous, ip: generous },
      lobbyIce: generous,
    });
    expect(await limits.take('signal', 'a', '192.0.2.1')).toBeUndefined();
    expect(await limits.take('signal', 'a', '192.0.2.1')).toBeUndefined();
    const refused = await limits.take('signal', 'a', '192.0.2.1');
    expect(refused?.scope).toBe('socket');
    expect(refused?.retryAfterMs).toBeGreaterThan(9_000);
    expect(refused?.retryAfterMs).toBeLessThanOrEqual(10_000);
    // Another socket, and another event of the same socket, have their own allowance.
    expect(await limits.take('signal', 'b', '192.0.2.1')).toBeUndefined();
    expect(await limits.take('join', 'a', '192.0.2.1')).toBeUndefined();
    // leave is not limited.
    for (let i = 0; i < 5; i += 1) expect(await limits.take('leave', 'a', '192.0.2.1')).toBeUndefined();
  });

  it('refuses past the per-address limit across sockets, without charging it for socket refusals', async () => {
    const limits = new RequestLimits({
      join: { socket: { points: 1, seconds: 60 }, ip: { points: 3, seconds: 60 } },
      signal: { socket: generous, ip: generous },
      ice: { socket: generous, ip: generous },
      lobbyIce: generous,
    });
    expect(await limits.take('join', 's1', '192.0.2.1')).toBeUndefined();
    // Refused by s1's own limit: the address keeps its two remaining joins.
    expect((await limits.take('join', 's1', '192.0.2.1'))?.scope).toBe('socket');
    expect(await limits.take('join', 's2', '192.0.2.1')).toBeUndefined();
    expect(await limits.take('join', 's3', '192.0.2.1')).toBeUndefined();
    expect((await limits.take('join', 's4', '192.0.2.1'))?.scope).toBe('ip');
    expect(await limits.take('join', 's5', '192.0.2.2')).toBeUndefined();
  });

  it('limits lobby TURN credentials per address, apart from the ice requests', async () => {
    const limits = new RequestLimits({
      join: { socket: generous, ip: generous },
      signal: { socket: generous, ip: generous },
      ice: { socket: generous, ip: generous },
      lobbyIce: { points: 2, seconds: 60 },
    });
    expect(await limits.takeLobbyIce('192.0.2.1')).toBeUndefined();
    expect(await limits.takeLobbyIce('192.0.2.1')).toBeUndefined();
    expect(await limits.takeLobbyIce('192.0.2.1')).toMatchObject({ scope: 'ip' });
    expect(await limits.takeLobbyIce('192.0.2.2')).toBeUndefined();
    expect(await limits.take('ice', 'a', '192.0.2.1')).toBeUndefined();
  });

  it('forgets a closed socket', async () => {
    const one = { points: 1, seconds: 60 };
    const limits = new RequestLimits({
      join: { socket: one, ip: generous },
      signal: { socket: one, ip: generous },
      ice: { socket: one, ip: generous },
      lobbyIce: generous,
    });
    expect(await limits.take('ice', 'a', 'x')).toBeUndefined();
    expect(await limits.take('ice', 'a', 'x')).toBeDefined();
    limits.forget('a');
    expect(await limits.take('ice', 'a', 'x')).toBeUndefined();
  });
});
