/**
 * How the server gets an echo peer for a Test call without depending on a WebRTC stack: `cli.ts` hands
 * `startParley` a function that starts one (the Node peer of `src/node-peer/`); without it, test calls are
 * off whatever `PARLEY_TEST_CALLS` says.
 */
export interface EchoPeerRequest {
  /** This server, as the echo peer reaches it over loopback (`http://127.0.0.1:PORT`, or https). */
  url: string;
  /** Its own certificate is self-signed or names another host: not checked on this loopback connection. */
  insecure: boolean;
  /** A private room that the echo peer opens and locks with `password`; only the tester is told both. */
  room: string;
  password: string;
  /** The echo peer leaves after this long, whatever happens. */
  maxMs: number;
}

/** A running echo peer. */
export interface EchoPeerHandle {
  /** Settles when the echo peer has left (its time is up, or the tester left). */
  readonly ended: Promise<void>;
  /** Makes it leave now. Idempotent. */
  stop(): Promise<void>;
}

/** Starts an echo peer, resolving once it waits in its room; rejects if it could not get in. */
export type StartEchoPeer = (request: EchoPeerRequest) => Promise<EchoPeerHandle>;
