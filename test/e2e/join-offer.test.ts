import { describe, expect, it } from 'vitest';
import { Participant } from '../support/participant.js';
import { serverAndChromium } from '../support/server-and-chromium.js';

/** Frames that must be shown in a tile for its video to count as flowing (the fake camera runs at 20 fps). */
const FLOWING = 10;

/** When the page passed each of Parley's critical-path marks (`performance.mark`, in src/call/). */
function marks(participant: Participant): Promise<Record<string, number[]>> {
  return participant.page.evaluate(() => {
    const seen: Record<string, number[]> = {};
    for (const mark of performance.getEntriesByType('mark')) {
      if (mark.name.startsWith('parley:')) (seen[mark.name.slice(7)] ??= []).push(mark.startTime);
    }
    return seen;
  });
}

describe('Join in Chromium: the first offer travels with the join', () => {
  const started = serverAndChromium();

  it('makes the offer before the join leaves, and the member answers it: video flows both ways', async () => {
    const ann = await Participant.open(started.browser, `${started.server.url}/`, 'Ann');
    await ann.join('early-offer');
    await ann.page.getByText('Waiting for others to join').waitFor();
    const ben = await Participant.open(started.browser, `${started.server.url}/`, 'Ben');
    await ben.join('early-offer');
    expect(await ann.framesAdvancing('Ben')).toBeGreaterThanOrEqual(FLOWING);
    expect(await ben.framesAdvancing('Ann')).toBeGreaterThanOrEqual(FLOWING);

    const newcomer = await marks(ben);
    // One offer, made before the join was sent; the answer came back after the join's ack.
    expect(newcomer['offer-sent']).toHaveLength(1);
    expect(newcomer['offer-sent']![0]!).toBeLessThan(newcomer['join-sent']![0]!);
    expect(newcomer['answer-received']![0]!).toBeGreaterThan(newcomer['join-ack']![0]!);
    // The member was handed that offer and answered it. It made no offer of its own once in the room (the
    // one its own join carried found nobody there, and was dropped).
    const member = await marks(ann);
    expect(member['offer-received']).toHaveLength(1);
    expect(member['answer-sent']).toHaveLength(1);
    expect((member['offer-sent'] ?? []).filter((at) => at > member['join-ack']![0]!)).toEqual([]);
    await Promise.all([ann.close(), ben.close()]);
  });
});
