import { afterEach } from 'vitest';
import { EchoMedia, NodePeer, type NodePeerOptions } from '../../src/node-peer/index.js';

/**
 * Node peers (werift, on Parley's own call logic) for the tests of the enclosing `describe`, each closed
 * (leaving its room) after the test that made it.
 *
 * @example
 * const nodePeer = nodePeers();
 * it('…', async () => {
 *   const echo = await nodePeer.echo(server.url, 'room', 'Echo');
 * });
 */
export function nodePeers() {
  const made: NodePeer[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((peer) => peer.close()));
  });
  return {
    /** A peer that sends back whatever audio and video it receives, in `room` as `name`. */
    async echo(url: string, room: string, name: string, options: Partial<NodePeerOptions> = {}) {
      const peer = new NodePeer({ url, media: new EchoMedia(), ...options });
      made.push(peer);
      await peer.join(room, name);
      return peer;
    },
  };
}

/** Resolves with the first chat line from someone else whose text is `text`. */
export function chatArrives(peer: NodePeer, text: string): Promise<{ name: string; text: string }> {
  return new Promise((resolve) => {
    const stop = peer.onChat((line) => {
      if (line.text !== text) return;
      stop();
      resolve({ name: line.name, text: line.text });
    });
  });
}
