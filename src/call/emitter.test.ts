import { describe, expect, expectTypeOf, it } from 'vitest';
import { Emitter } from './emitter.js';
import type { PeerPhase } from './phase.js';
import type { PeerSession, PeerSessionEvents } from './peer-session.js';
import type { RoomSession, RoomSessionEvents } from './room-session.js';

type TestEvents = { ping: number; pong: { at: number } };

class TestEmitter extends Emitter<TestEvents> {
  fire<E extends keyof TestEvents>(event: E, payload: TestEvents[E]): void {
    this.emit(event, payload);
  }
}

describe('Emitter', () => {
  it('hands each listener its payload, and keeps going when one throws', () => {
    const reported: unknown[] = [];
    const emitter = new TestEmitter((error) => reported.push(error));
    const seen: number[] = [];
    emitter.on('ping', () => {
      throw new Error('faulty listener');
    });
    const off = emitter.on('ping', (n) => seen.push(n));
    emitter.fire('ping', 1);
    off();
    emitter.fire('ping', 2);
    expect(seen).toEqual([1]);
    expect(reported).toEqual([new Error('faulty listener'), new Error('faulty listener')]);
  });

  it('types each event by its map, and rejects names that are not in it', () => {
    const emitter = new TestEmitter();
    emitter.on('pong', (payload) => expectTypeOf(payload).toEqualTypeOf<{ at: number }>());
    // @ts-expect-error: `pings` is not an event of this emitter.
    emitter.on('pings', () => {});
    // @ts-expect-error: the payload of `ping` is a number.
    emitter.fire('ping', 'one');
  });
});

describe('the call layer event maps', () => {
  it('type the peer session events', () => {
    expectTypeOf<keyof PeerSessionEvents>().toEqualTypeOf<
      'phase' | 'problem' | 'track' | 'screen' | 'frame' | 'datachannel' | 'error'
    >();
    expectTypeOf<PeerSession['on']>().parameter(0).toEqualTypeOf<keyof PeerSessionEvents>();
    expectTypeOf<PeerSessionEvents['phase']>().toEqualTypeOf<PeerPhase>();
  });

  it('type the room session events', () => {
    expectTypeOf<keyof RoomSessionEvents>().toEqualTypeOf<
      'peers' | 'chat' | 'reaction' | 'files' | 'room' | 'error'
    >();
    expectTypeOf<RoomSessionEvents['room']>().toEqualTypeOf<{ protected: boolean }>();
  });

  it('reject a misspelt event name on each emitter', () => {
    const onPeer = (session: PeerSession) =>
      // @ts-expect-error: the event is `phase`.
      session.on('phases', () => {});
    const onRoom = (room: RoomSession) =>
      // @ts-expect-error: the event is `peers`.
      room.on('peer', () => {});
    expect([onPeer, onRoom]).toHaveLength(2);
  });
});
