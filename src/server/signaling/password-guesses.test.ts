import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRedis, startRedis } from '../../../test/support/redis.js';
import { PasswordGuesses } from './password-guesses.js';

describe('PasswordGuesses', () => {
  it('allows the limit of wrong guesses per address and room, then refuses every check', async () => {
    const guesses = new PasswordGuesses({ guesses: 2, windowSeconds: 60 });
    for (let i = 0; i < 2; i += 1) {
      const ticket = await guesses.begin('192.0.2.1', 'kitchen');
      expect(ticket.ok).toBe(true);
      if (ticket.ok) await ticket.settle(false);
    }
    const refused = await guesses.begin('192.0.2.1', 'kitchen');
    expect(refused.ok).toBe(false);
    expect(refused.ok ? 0 : refused.retryAfterMs).toBeGreaterThan(59_000);
    // Another room, and another address, count on their own.
    expect((await guesses.begin('192.0.2.1', 'garden')).ok).toBe(true);
    expect((await guesses.begin('192.0.2.2', 'kitchen')).ok).toBe(true);
  });

  it('does not count a right password against the limit', async () => {
    const guesses = new PasswordGuesses({ guesses: 1, windowSeconds: 60 });
    for (let i = 0; i < 5; i += 1) {
      const ticket = await guesses.begin('192.0.2.1', 'kitchen');
      expect(ticket.ok).toBe(true);
      if (ticket.ok) await ticket.settle(true);
    }
  });

  it('counts checks made at once before any is settled, so a burst cannot slip under the limit', async () => {
    const guesses = new PasswordGuesses({ guesses: 3, windowSeconds: 60 });
    const tickets = await Promise.all(
      Array.from({ length: 10 }, () => guesses.begin('192.0.2.1', 'kitchen')),
    );
    expect(tickets.filter((t) => t.ok)).toHaveLength(3);
  });

  it('rejects a limit that is not a positive whole number', () => {
    expect(() => new PasswordGuesses({ guesses: 0, windowSeconds: 60 })).toThrow(TypeError);
    expect(() => new PasswordGuesses({ guesses: 5, windowSeconds: 0.5 })).toThrow(TypeError);
  });
});

describe('PasswordGuesses across nodes, on a real redis-server', () => {
  let redis: RunningRedis;
  const clients: ReturnType<typeof createClient>[] = [];
  const connect = async () => {
    const client = createClient({ url: redis.url });
    client.on('error', () => {});
    await client.connect();
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const client of clients) if (client.isOpen) client.destroy();
    await redis?.close();
  });

  const wrongGuess = async (guesses: PasswordGuesses, room: string) => {
    const ticket = await guesses.begin('192.0.2.1', room);
    if (ticket.ok) await ticket.settle(false);
    return ticket.ok;
  };

  it('adds up wrong guesses made through different nodes', async () => {
    const limit = { guesses: 4, windowSeconds: 60 };
    const one = new PasswordGuesses(limit, await connect());
    const two = new PasswordGuesses(limit, await connect());
    const outcomes = [];
    for (const node of [one, two, one, two, one, two]) outcomes.push(await wrongGuess(node, 'shared'));
    expect(outcomes).toEqual([true, true, true, true, false, false]);
  });

  it('gives a right password its point back on every node', async () => {
    const limit = { guesses: 1, windowSeconds: 60 };
    const one = new PasswordGuesses(limit, await connect());
    const two = new PasswordGuesses(limit, await connect());
    for (const node of [one, two, one, two]) {
      const ticket = await node.begin('192.0.2.1', 'rewarded');
      expect(ticket.ok).toBe(true);
      if (ticket.ok) await ticket.settle(true);
    }
  });

  it('goes on counting in memory when Redis is gone, rather than failing every check', async () => {
    const client = await connect();
    const guesses = new PasswordGuesses({ guesses: 2, windowSeconds: 60 }, client);
    client.destroy();
    expect([
      await wrongGuess(guesses, 'offline'),
      await wrongGuess(guesses, 'offline'),
      await wrongGuess(guesses, 'offline'),
    ]).toEqual([true, true, false]);
  });
});
