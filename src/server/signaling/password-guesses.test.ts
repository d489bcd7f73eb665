import { describe, expect, it } from 'vitest';
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
