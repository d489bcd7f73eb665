import { setTimeout as delay } from 'node:timers/promises';
import { ackSchema } from '../../../src/protocol/index.js';
import { type Client, type Inbox, connect, join } from '../clients.js';

/** Pace of the call's signals: a steady trickle, like ICE candidates during a call's setup. */
const SIGNAL_EVERY_MS = 20;

interface Side {
  socket: Client;
  inbox: Inbox;
  id: string;
}

export interface SteadyCallReport {
  sent: number;
  /** Acks that were not `{ ok: true }`, as the server gave them. */
  refused: unknown[];
  /** Signals that were acknowledged but never arrived, or arrived out of order, by sequence number. */
  missing: number[];
  outOfOrder: number;
}

/**
 * Two clients in a room of their own, sending each other numbered signals on a steady beat for as long as
 * it runs: the bystanders whose call must go on whatever anyone else sends the server.
 */
export class SteadyCall {
  #running = true;
  #sent = 0;
  readonly #refused: unknown[] = [];
  readonly #pending: Promise<unknown>[] = [];
  #loop: Promise<void> = Promise.resolve();

  private constructor(
    private readonly a: Side,
    private readonly b: Side,
  ) {}

  static async start(url: string, room: string): Promise<SteadyCall> {
    const open = async (name: string): Promise<Side> => {
      const { socket, inbox } = await connect(url);
      return { socket, inbox, id: (await join(socket, room, name)).self.id };
    };
    const a = await open('Steady A');
    const b = await open('Steady B');
    const call = new SteadyCall(a, b);
    call.#loop = call.#run();
    return call;
  }

  get sent(): number {
    return this.#sent;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      const seq = this.#sent++;
      const [from, to] = seq % 2 === 0 ? [this.a, this.b] : [this.b, this.a];
      const ack = from.socket
        .timeout(10_000)
        .emitWithAck('signal', {
          to: to.id,
          signal: { kind: 'candidate', candidate: { candidate: `candidate:${seq}`, sdpMLineIndex: 0 } },
        })
        .then(
          (response) => {
            const parsed = ackSchema('signal').safeParse(response);
            if (!parsed.success || !parsed.data.ok) this.#refused.push(response);
          },
          (error: unknown) => this.#refused.push(String(error)),
        );
      this.#pending.push(ack);
      await delay(SIGNAL_EVERY_MS);
    }
  }

  /** Stops sending, waits for every ack and every delivery (up to `withinMs`), and says what went wrong. */
  async stop(withinMs = 10_000): Promise<SteadyCallReport> {
    this.#running = false;
    await this.#loop;
    await Promise.all(this.#pending);
    const sent = this.#sent;
    const arrived = (side: Side) =>
      side.inbox.events.flatMap((r) =>
        r.event === 'signal' && r.payload.signal.kind === 'candidate'
          ? [Number(r.payload.signal.candidate.candidate.slice('candidate:'.length))]
          : [],
      );
    // Every signal sent must arrive: wait for the last one each way (even numbers go to B), bounded.
    const lastWithParity = (parity: number) => sent - 1 - ((((sent - 1) % 2) + 2 - parity) % 2);
    const arrivalOf = (side: Side, seq: number) =>
      seq < 0
        ? Promise.resolve()
        : side.inbox.waitFor(
            (r) =>
              r.event === 'signal' &&
              r.payload.signal.kind === 'candidate' &&
              r.payload.signal.candidate.candidate === `candidate:${seq}`,
          );
    await Promise.race([
      Promise.all([arrivalOf(this.b, lastWithParity(0)), arrivalOf(this.a, lastWithParity(1))]),
      delay(withinMs),
    ]);
    const atB = arrived(this.b);
    const atA = arrived(this.a);
    const received = new Set([...atA, ...atB]);
    const missing: number[] = [];
    for (let seq = 0; seq < sent; seq++) if (!received.has(seq)) missing.push(seq);
    const outOfOrder = [atA, atB].reduce(
      (count, list) => count + list.filter((seq, i) => i > 0 && seq < (list[i - 1] ?? 0)).length,
      0,
    );
    this.a.socket.close();
    this.b.socket.close();
    return { sent, refused: this.#refused, missing, outOfOrder };
  }
}
