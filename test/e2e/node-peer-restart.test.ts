import { describe, expect, it } from 'vitest';
import { chatArrives, nodePeers } from '../support/node-peers.js';
import { Participant } from '../support/participant.js';
import { restartableServerAndChromium } from '../support/restartable-server.js';

/**
 * A Node peer shares the page's repair logic (src/call/): when the signaling server restarts, the call goes
 * on peer to peer, and both sides take their places back on the new server without a new connection.
 */
describe('a Node peer in a call through a server restart', () => {
  const started = restartableServerAndChromium('parley-node-restart');
  const nodePeer = nodePeers();

  it('keeps the call, resumes on the new server, and chat and the echoed video go on', async () => {
    const { url } = started;
    const echo = await nodePeer.echo(url, 'restart', 'Echo');
    const ann = await Participant.open(started.browser, `${url}/r/restart`, 'Ann');
    try {
      await ann.join();
      expect(await ann.framesAdvancing('Echo')).toBeGreaterThanOrEqual(10);
      const connectionBefore = echo.peerConnection(
        echo.state.kind === 'in-call' ? (echo.state.peers[0]?.id ?? '') : '',
      );
      expect(connectionBefore?.connectionState).toBe('connected');

      await started.restart();
      // Both sockets come back and resume (the server's metrics count two peers in calls again).
      await expect
        .poll(
          async () =>
            (await fetch(`${url}/metrics`).then((r) => r.text())).match(/^parley_peers_in_calls (\d+)/m)?.[1],
          {
            timeout: 20_000,
          },
        )
        .toBe('2');
      // The same connection carried on: media never went through the server.
      const peers = echo.state.kind === 'in-call' ? echo.state.peers : [];
      expect(peers.map((peer) => peer.name)).toEqual(['Ann']);
      expect(echo.peerConnection(peers[0]?.id ?? '')).toBe(connectionBefore);
      expect(await ann.framesAdvancing('Echo')).toBeGreaterThanOrEqual(10);
      const heard = chatArrives(echo, 'after the restart');
      await ann.sendChat('after the restart');
      await heard;
      echo.sendChat('still here');
      await ann.waitForChat('Echo', 'still here');
    } finally {
      await ann.close();
    }
  });
});
