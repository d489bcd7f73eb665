import { describe, expect, it } from 'vitest';
import type { Ack, IceResult } from '../protocol/index.js';
import { LOBBY_ICE_FRESH_MS, LobbyIce } from './lobby-ice.js';
import type { SignalingTransport } from './transport.js';

const ICE: IceResult = { iceServers: [{ urls: 'stun:parley.example:3478' }], iceTransportPolicy: 'all' };

/** A server whose `ice` answers wait until the test releases them. */
function slowServer() {
  const waiting: ((ack: Ack<IceResult>) => void)[] = [];
  const transport = {
    request: () => new Promise<Ack<IceResult>>((resolve) => waiting.push(resolve)),
    on: () => () => {},
  } as unknown as SignalingTransport;
  return { transport, waiting, answer: (ack: Ack<IceResult>) => waiting.shift()?.(ack) };
}

describe('LobbyIce', () => {
  it('asks once, and a join made while the answer travels waits for it rather than go without', async () => {
    const server = slowServer();
    const ice = new LobbyIce(server.transport);
    ice.warm();
    ice.warm();
    const during = ice.current();
    expect(server.waiting).toHaveLength(1);
    server.answer({ ok: true, ...ICE });
    expect(await during).toEqual(ICE);
    expect(await ice.current()).toEqual(ICE);
    expect(server.waiting).toHaveLength(0);
  });

  it('stops using ICE servers once the credential they carry may have run out, and asks anew', async () => {
    let now = 0;
    const server = slowServer();
    const ice = new LobbyIce(server.transport, () => now);
    ice.warm();
    server.answer({ ok: true, ...ICE });
    await ice.current();
    now = LOBBY_ICE_FRESH_MS;
    expect(await ice.current()).toBeUndefined();
    expect(server.waiting).toHaveLength(1);
  });

  it('has nothing to give when the server refuses, and asks again next time', async () => {
    const server = slowServer();
    const ice = new LobbyIce(server.transport);
    ice.warm();
    server.answer({ ok: false, error: { code: 'RATE_LIMITED', message: 'slow down' } });
    expect(await ice.current()).toBeUndefined();
    await Promise.resolve();
    expect(await ice.current()).toBeUndefined();
    expect(server.waiting.length).toBeGreaterThan(0);
  });
});
