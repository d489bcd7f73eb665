import type { SignalingTransport } from '../../src/call/transport.js';
import type {
  Ack,
  ClientEventName,
  EventPayload,
  EventResult,
  JoinResult,
  ServerEventName,
  ServerEventPayload,
} from '../../src/protocol/index.js';

/** One request the call logic made, as the server would have received it. */
export interface FakeRequest {
  readonly event: ClientEventName;
  readonly payload: unknown;
}

/** What {@link FakeTransport} answers to `ice`: no STUN or TURN servers, as on a server without them. */
const NO_ICE_SERVERS: Ack<EventResult<'ice'>> = { ok: true, iceServers: [], iceTransportPolicy: 'all' };

/**
 * A signaling server in memory, for tests of the call logic without socket.io: it records every request,
 * answers joins as the test says (`leave` and `signal` always succeed), and lets the test push server events
 * to whoever listens.
 *
 * @example
 * const server = new FakeTransport({ ok: true, ...joined });
 * const room = new RoomSession({ transport: server, RTCPeerConnection, localStream: null });
 * await room.join('kitchen', 'Ann');
 * server.push('peer-joined', { peer: { id: 'bob-peer-00001', name: 'Bob' } });
 * expect(server.joins).toEqual([{ v: 1, room: 'kitchen', name: 'Ann' }]);
 */
export class FakeTransport implements SignalingTransport {
  /** Every request so far, in order. */
  readonly requests: FakeRequest[] = [];
  #joinAnswer: Ack<JoinResult>;
  readonly #nextJoinAnswers: Ack<JoinResult>[] = [];
  readonly #listeners = new Map<ServerEventName, Set<(payload: never) => void>>();

  /** `joinAnswer` answers every join, until {@link answerJoinsWith} or {@link answerNextJoinsWith}. */
  constructor(joinAnswer: Ack<JoinResult>) {
    this.#joinAnswer = joinAnswer;
  }

  /** The payloads of the joins asked for so far (a resume is a join too), in order. */
  get joins(): unknown[] {
    return this.requests.filter((request) => request.event === 'join').map((request) => request.payload);
  }

  /** Answers every join from now on with `answer`. */
  answerJoinsWith(answer: Ack<JoinResult>): void {
    this.#joinAnswer = answer;
  }

  /** Answers the next joins with `answers`, one each in turn, then the standing answer again. */
  answerNextJoinsWith(...answers: Ack<JoinResult>[]): void {
    this.#nextJoinAnswers.push(...answers);
  }

  request<E extends ClientEventName>(event: E, payload: EventPayload<E>): Promise<Ack<EventResult<E>>> {
    this.requests.push({ event, payload });
    return Promise.resolve(this.#answer(event));
  }

  on<E extends ServerEventName>(event: E, listener: (payload: ServerEventPayload<E>) => void): () => void {
    const listeners = this.#listeners.get(event) ?? new Set();
    listeners.add(listener);
    this.#listeners.set(event, listeners);
    return () => void listeners.delete(listener);
  }

  /** Delivers a server event to the current listeners, as the server would push it. */
  push<E extends ServerEventName>(event: E, payload: ServerEventPayload<E>): void {
    for (const listener of this.#listeners.get(event) ?? [])
      (listener as (payload: unknown) => void)(payload);
  }

  /** How many listeners `event` has now: to see that a closed session let go of the transport. */
  listenerCount(event: ServerEventName): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  #answer<E extends ClientEventName>(event: E): Ack<EventResult<E>> {
    switch (event) {
      case 'join':
        return this.#nextJoinAnswers.shift() ?? this.#joinAnswer;
      case 'ice':
        return NO_ICE_SERVERS;
      case 'leave':
      case 'signal':
        // An empty result adds no fields to the ack, which TypeScript cannot see through a generic E.
        return { ok: true } as Ack<EventResult<E>>;
    }
  }
}
