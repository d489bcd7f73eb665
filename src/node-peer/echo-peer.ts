import { EchoMedia } from './echo-media.js';
import { NodePeer } from './node-peer.js';

/** The name the tester sees for the echo peer. */
export const ECHO_PEER_NAME = 'Parley echo';

/** What the server asks for (its `EchoPeerRequest`, repeated here: the Node peer never imports the server). */
export interface EchoPeerRequest {
  url: string;
  insecure: boolean;
  room: string;
  password: string;
  maxMs: number;
}

export interface EchoPeerHandle {
  readonly ended: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the echo peer of a Test call: a {@link NodePeer} that opens `room` (locking it with `password`),
 * waits for the tester, and sends back whatever they send: audio, video, and every chat line. It leaves
 * after `maxMs`, or once the tester has come and gone. Resolves once it waits in the room.
 */
export async function startEchoPeer(request: EchoPeerRequest): Promise<EchoPeerHandle> {
  const peer = new NodePeer({ url: request.url, insecure: request.insecure, media: new EchoMedia() });
  let stopping: Promise<void> | undefined;
  let markEnded: () => void = () => {};
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  const stop = () => {
    stopping ??= (async () => {
      for (const timer of timers) clearTimeout(timer);
      stopChat();
      stopWatching();
      await peer.close().catch(() => {});
      markEnded();
    })();
    return stopping;
  };
  const timers: ReturnType<typeof setTimeout>[] = [];
  const stopChat = peer.onChat((line) => peer.sendChat(line.text));
  let testerCame = false;
  const stopWatching = peer.client.on('state', (state) => {
    if (state.kind !== 'in-call') return;
    if (state.peers.length > 0) testerCame = true;
    else if (testerCame) void stop();
  });
  try {
    await peer.join(request.room, ECHO_PEER_NAME, request.password);
  } catch (error) {
    await stop();
    throw error;
  }
  // From now: the tester's minute starts when the echo peer is there to answer.
  timers.push(setTimeout(() => void stop(), request.maxMs));
  return { ended, stop };
}
