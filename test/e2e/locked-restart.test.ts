import { describe, expect, it } from 'vitest';
import { connect, join } from '../integration/clients.js';
import { Participant } from '../support/participant.js';
import { restartableServerAndChromium } from '../support/restartable-server.js';

const PASSWORD = 'lantern-orchard-52';

/**
 * A locked room, a server restart that forgets it, and a stranger who opens the room anew, open, before the
 * page is back. The page's resume is refused (the room is not the one it was admitted to); it joins afresh,
 * and must then say what the room is now: open, not "Password-protected".
 */
describe('a locked room that a stranger opens anew while the server restarts', () => {
  const started = restartableServerAndChromium('parley-reopened');
  const room = 'e2e-reopened';

  it('shows the room as it is after the page rejoins', async () => {
    const alice = await Participant.open(started.browser, `${started.url}/r/${room}`, 'Alice');
    await alice.join(undefined, PASSWORD);
    await alice.page.getByText('Password-protected').waitFor();

    // Offline first, so the page cannot reconnect before the stranger is in.
    await alice.context.setOffline(true);
    const server = await started.restart();
    const stranger = await connect(server.url);
    try {
      expect(await join(stranger.socket, room, 'Stranger')).toMatchObject({
        created: true,
        protected: false,
      });
      await alice.context.setOffline(false);
      const arrival = await stranger.inbox.waitFor((r) => r.event === 'peer-joined');
      expect(arrival.payload).toMatchObject({ peer: { name: 'Alice' } });
      await expect.poll(() => alice.page.getByText('Password-protected').count()).toBe(0);
    } finally {
      stranger.socket.close();
    }
  });
});
