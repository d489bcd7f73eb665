import type {
  ClientEventName,
  JoinResult,
  PeerInfo,
  ServerEventName,
  ServerEventPayload,
} from '../../src/protocol/index.js';
import type { Answer, SignalingConnection, SignalingStatus } from '../../src/call/transport.js';

/** For unit tests: the join answer of a room holding `peers`. */
export function joinAck(self: PeerInfo, peers: PeerInfo[]): { ok: true } & JoinResult {
  return {
    ok: true,
    self,
    token: 't'.repeat(43),
    room: 'kitchen',
    created: peers.length === 0,
    protected: false,
    peers,
    maxPeers: 4,
    uploadBudgetKbps: 2500,
    iceServers: [],
    iceTransportPolicy: 'all',
  };
}

type Answerer = (payload: unknown) => Answer<unknown> | Promise<Answer<unknown>>;

/**
 * For unit tests: a server that answers joins with what the test says, lets the test push events, and a
 * connection the test drops and brings back.
 */
export function fakeSignaling(self: PeerInfo = { id: 'self-peer-0001', name: 'Me' }) {
  const listeners = new Map<string, ((payload: unknown) => void)[]>();
  const statusListeners = new Set<(status: SignalingStatus) => void>();
  const joins: unknown[] = [];
  const requests: { event: ClientEventName; payload: unknown }[] = [];
  let nextJoin: Answerer = () => joinAck(self, []);
  const answers = new Map<ClientEventName, Answerer>();
  let connected = true;
  const transport: SignalingConnection = {
    get connected() {
      return connected;
    },
    request: (event: ClientEventName, payload: unknown) => {
      requests.push({ event, payload });
      if (event === 'join') {
        joins.push(payload);
        return Promise.resolve(nextJoin(payload));
      }
      // `ice` is refused unless the test answers it: without ICE servers from the pre-join screen, a join
      // carries no offer, and the newcomer offers after the ack (early-offer.test.ts covers the other way).
      const standing =
        event === 'ice'
          ? { ok: false, error: { code: 'UNAVAILABLE', message: 'No ICE servers here.' } }
          : { ok: true };
      return Promise.resolve(answers.get(event)?.(payload) ?? standing);
    },
    on: (event, listener) => {
      listeners.set(event, [...(listeners.get(event) ?? []), listener as (payload: unknown) => void]);
      return () => {};
    },
    onStatus: (listener) => {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
  } as SignalingConnection;
  return {
    transport,
    joins,
    requests,
    answerJoinWith: (peers: PeerInfo[]) => (nextJoin = () => joinAck(self, peers)),
    /** Answers joins (and resumes) with whatever `answer` returns. */
    answerJoins: (answer: Answerer) => (nextJoin = answer),
    answer: (event: Exclude<ClientEventName, 'join'>, answer: Answerer) => answers.set(event, answer),
    push<E extends ServerEventName>(event: E, payload: ServerEventPayload<E>) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    /** The connection changes: `connected` and `disconnected` also change `connected`. */
    status(status: SignalingStatus) {
      if (status !== 'unreachable') connected = status === 'connected';
      for (const listener of [...statusListeners]) listener(status);
    },
  };
}
