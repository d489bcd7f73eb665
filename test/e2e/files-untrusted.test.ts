import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { requireBuiltPage } from '../support/built-page.js';
import {
  type RecordedChannel,
  chooseRandomFile,
  downloadSaved,
  fileCard,
  recordDataChannels,
} from '../support/files.js';
import { Participant } from '../support/participant.js';
import { type TestServer, startTestServer } from '../support/server.js';

const FLOWING = 10;
const GiB = 1024 ** 3;
/** What Bob's card says when the sender broke the protocol, or the SHA-256 did not match (en.ts). */
const MALFORMED = "Stopped: Ann's browser sent something unexpected";
const CORRUPT = 'It arrived damaged (SHA-256 does not match) and was thrown away';

/** A transfer id as the protocol wants it: 8 to 32 lowercase hex digits. */
const newId = () => randomBytes(8).toString('hex');

/** A frame for the call's channel: text (JSON or not), or binary given as its bytes. */
type Frame = string | { bytes: number[] };

/** A chunk Ann's page makes: `length` bytes (all 0x5a) said to start at `offset`. */
interface Chunk {
  offset: number;
  length: number;
}

/** A file message Ann's page received on the call's channel. */
interface Reply {
  kind: string;
  id: string;
  [field: string]: unknown;
}

type Recorded = Window & { parleyDataChannels: RecordedChannel[] };

/**
 * A malicious Ann. Her page runs Parley as usual, but the test also speaks on her call's data channel with
 * frames of its own (through the channels `recordDataChannelsInPage` keeps), and opens file channels to
 * Bob by hand: offers Parley itself would never make, chunks that do not continue the file, too many bytes,
 * a wrong SHA-256, ten offers at once. After each attack Bob's page must still work (a chat line from Ann
 * arrives, her video still advances on his side, no error in the page) and must offer nothing to save; and
 * at the end a genuine file sent through the page's own button still arrives intact.
 */
describe('files from a peer that breaks the protocol', () => {
  let server: TestServer;
  let chromium: Browser;
  let ann: Participant;
  let bob: Participant;
  const bobErrors: string[] = [];
  const room = 'e2e-files-untrusted';

  beforeAll(async () => {
    requireBuiltPage();
    server = await startTestServer();
    chromium = await launchChromium();
    ann = await Participant.open(chromium, `${server.url}/r/${room}`, 'Ann');
    await recordDataChannels(ann);
    await ann.join();
    bob = await Participant.open(chromium, `${server.url}/r/${room}`, 'Bob');
    bob.page.on('pageerror', (error) => bobErrors.push(error.message));
    await bob.join();
    expect(await bob.framesAdvancing('Ann')).toBeGreaterThanOrEqual(FLOWING);
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  /** Sends `frames` as Ann's page, in order, on the call's channel to Bob. */
  async function sendRaw(...frames: Frame[]): Promise<void> {
    await ann.page.evaluate((frames) => {
      const chat = (window as unknown as Recorded).parleyDataChannels
        .filter((each) => each.label === 'chat' && each.channel.readyState === 'open')
        .at(-1);
      if (!chat) throw new Error("Ann's page has no open call channel");
      for (const frame of frames)
        if (typeof frame === 'string') chat.channel.send(frame);
        else chat.channel.send(new Uint8Array(frame.bytes).buffer);
    }, frames);
  }

  /** Offers, as Ann's page, a file Parley itself could have described. */
  function offer(id: string, name: string, size: number): Promise<void> {
    return sendRaw(JSON.stringify({ kind: 'file-offer', id, name, size, type: 'application/octet-stream' }));
  }

  /** Every file message about one of `ids` Ann's page has had from Bob so far. */
  function replies(ids: readonly string[]): Promise<Reply[]> {
    return ann.page.evaluate(
      (ids) =>
        (window as unknown as Recorded).parleyDataChannels
          .filter((each) => each.label === 'chat')
          .flatMap((each) => each.received)
          .map((text) => JSON.parse(text) as { kind?: unknown; id?: unknown })
          .filter((message): message is Reply => typeof message.id === 'string' && ids.includes(message.id)),
      ids,
    );
  }

  /** Waits until Bob has told Ann's page `kind` about transfer `id`, and returns that message. */
  async function reply(id: string, kind: string): Promise<Reply> {
    const found = await ann.page.waitForFunction(
      ({ id, kind }) =>
        (window as unknown as Recorded).parleyDataChannels
          .filter((each) => each.label === 'chat')
          .flatMap((each) => each.received)
          .map((text) => JSON.parse(text) as Reply)
          .find((message) => message.id === id && message.kind === kind),
      { id, kind },
    );
    return (await found.jsonValue()) as Reply;
  }

  /**
   * Opens, as Ann's page, the channel of transfer `id` and sends `chunks` on it, then `end` (a `file-end`
   * with this SHA-256) if given: what a sender does once Bob accepted.
   */
  async function sendBytes(id: string, chunks: Chunk[], end?: string): Promise<void> {
    await ann.page.evaluate(
      async ({ id, chunks, end }) => {
        const chat = (window as unknown as Recorded).parleyDataChannels
          .filter((each) => each.label === 'chat' && each.channel.readyState === 'open')
          .at(-1);
        if (!chat) throw new Error("Ann's page has no open call channel");
        const channel = chat.pc.createDataChannel(`file:${id}`, { ordered: true });
        await new Promise((resolve, reject) => {
          channel.addEventListener('open', resolve, { once: true });
          channel.addEventListener('close', () => reject(new Error('closed before it opened')), {
            once: true,
          });
        });
        for (const { offset, length } of chunks) {
          const buffer = new ArrayBuffer(8 + length);
          new DataView(buffer).setBigUint64(0, BigInt(offset));
          new Uint8Array(buffer, 8).fill(0x5a);
          channel.send(buffer);
        }
        if (end !== undefined) channel.send(JSON.stringify({ kind: 'file-end', sha256: end }));
      },
      { id, chunks, end },
    );
  }

  /**
   * Opens, as Ann's page, a data channel labelled `label` that Bob never asked for, sends a chunk on it, and
   * resolves once Bob has closed it (rejects if he has not after `withinMs`).
   */
  async function strayChannelClosed(label: string, withinMs = 10_000): Promise<void> {
    await ann.page.evaluate(
      async ({ label, withinMs }) => {
        const chat = (window as unknown as Recorded).parleyDataChannels
          .filter((each) => each.label === 'chat' && each.channel.readyState === 'open')
          .at(-1);
        if (!chat) throw new Error("Ann's page has no open call channel");
        const channel = chat.pc.createDataChannel(label, { ordered: true });
        const closed = new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`Bob left ${label} open for ${withinMs} ms`)),
            withinMs,
          );
          const closed = () => {
            clearTimeout(timer);
            resolve();
          };
          channel.addEventListener('close', closed, { once: true });
        });
        channel.addEventListener(
          'open',
          () => {
            const chunk = new ArrayBuffer(8 + 16);
            new Uint8Array(chunk, 8).fill(0x5a);
            channel.send(chunk);
          },
          { once: true },
        );
        await closed;
      },
      { label, withinMs },
    );
  }

  /**
   * Bob's page after an attack: a chat line from Ann still arrives (behind every frame she sent before it:
   * the call's channel is ordered), her video still advances, nothing can be saved, nothing was thrown.
   */
  async function bobStillWorks(after: string): Promise<void> {
    const text = `Still here after ${after}`;
    await ann.sendChat(text);
    await bob.waitForChat('Ann', text);
    expect(await bob.framesAdvancing('Ann'), `Ann's video after ${after}`).toBeGreaterThanOrEqual(FLOWING);
    expect(await bob.page.locator('a[download]').count(), `no file to save after ${after}`).toBe(0);
    expect(await bob.page.getByRole('link', { name: /^Save / }).count()).toBe(0);
    expect(bobErrors, `errors in Bob's page after ${after}`).toEqual([]);
  }

  it('drops offers outside the protocol and garbage without a card or an answer, and closes stray channels', async () => {
    const ids = {
      huge: newId(),
      longName: newId(),
      extra: newId(),
      negative: newId(),
      fraction: newId(),
      unfinished: newId(),
      array: newId(),
      oversized: newId(),
      accept: newId(),
    };
    const names = {
      huge: 'larger than 64 GiB.bin',
      longName: `${'n'.repeat(296)}.bin`,
      badId: 'id not hex.bin',
      extra: 'extra fields.bin',
      negative: 'negative size.bin',
      fraction: 'fractional size.bin',
      garbage: 'garbage.bin',
    };
    const valid = (id: string, name: string) => ({
      kind: 'file-offer',
      id,
      name,
      size: 100,
      type: 'application/octet-stream',
    });
    await sendRaw(
      JSON.stringify({ ...valid(ids.huge, names.huge), size: 64 * GiB + 1 }),
      JSON.stringify(valid(ids.longName, names.longName)),
      JSON.stringify(valid('not-hex!', names.badId)),
      JSON.stringify(valid('ABCDEF0123456789', names.badId)),
      JSON.stringify({ ...valid(ids.extra, names.extra), url: 'https://evil.example/', html: '<b>x</b>' }),
      JSON.stringify({ ...valid(ids.negative, names.negative), size: -1 }),
      JSON.stringify({ ...valid(ids.fraction, names.fraction), size: 10.5 }),
      // Not JSON, JSON that is no message, too long to be read, binary on the call's channel.
      `{"kind":"file-offer","id":"${ids.unfinished}","name":"${names.garbage}",`,
      'garbage \u0000\uffff',
      JSON.stringify([valid(ids.array, names.garbage)]),
      JSON.stringify({ ...valid(ids.oversized, names.garbage), padding: 'x'.repeat(20_000) }),
      { bytes: [0x7b, 0x22, 0xff, 0x00, 0x01] },
      // About transfers Bob never sent or was offered.
      JSON.stringify({ kind: 'file-accept', id: ids.accept, offset: 0 }),
      JSON.stringify({ kind: 'file-result', id: ids.accept, intact: true }),
      JSON.stringify({ kind: 'file-cancel', id: ids.accept }),
    );
    // Then a valid offer, as a marker: once Bob has answered it and shows its card, he has handled every
    // frame before it (they go through the same queue), so what he did not show, he never will.
    const marker = newId();
    await offer(marker, 'marker.bin', 100);
    expect((await reply(marker, 'file-accept')).offset).toBe(0);
    await fileCard(bob.page, 'marker.bin').waitFor();
    await sendRaw(JSON.stringify({ kind: 'file-cancel', id: marker }));
    await fileCard(bob.page, 'marker.bin').getByText('Ann cancelled it').waitFor();

    // Channels for files Bob never took, or that are no file's at all, are closed at once.
    await strayChannelClosed(`file:${newId()}`);
    await strayChannelClosed(`file:${ids.huge}`);
    await strayChannelClosed(`file:${marker}`);
    await strayChannelClosed('not a file');

    for (const name of Object.values(names))
      expect(await fileCard(bob.page, name).count(), `a card for "${name.slice(0, 40)}"`).toBe(0);
    expect(await bob.page.locator('.file__name').count(), 'cards in Bob’s chat: the marker only').toBe(1);
    expect(await replies(Object.values(ids)), 'answers to offers outside the protocol').toEqual([]);
    await bobStillWorks('offers outside the protocol');
  });

  it('stops a transfer whose bytes do not fit what was offered, and never offers to save it', async () => {
    const cases = [
      // The first chunk does not start at 0.
      { name: 'wrong offset.bin', chunks: [{ offset: 50, length: 50 }], text: MALFORMED },
      // More bytes than announced: 60 + 60 for 100.
      {
        name: 'too many bytes.bin',
        chunks: [
          { offset: 0, length: 60 },
          { offset: 60, length: 60 },
        ],
        text: MALFORMED,
      },
      // The end before all the bytes.
      { name: 'ends early.bin', chunks: [{ offset: 0, length: 40 }], end: 'ab'.repeat(32), text: MALFORMED },
      // The right bytes, then a SHA-256 that is not theirs.
      { name: 'wrong sha256.bin', chunks: [{ offset: 0, length: 100 }], end: 'ab'.repeat(32), text: CORRUPT },
    ];
    for (const { name, chunks, end, text } of cases) {
      const id = newId();
      await offer(id, name, 100);
      expect((await reply(id, 'file-accept')).offset, name).toBe(0);
      await sendBytes(id, chunks, end);
      const card = fileCard(bob.page, name);
      await card.getByText(text).waitFor();
      expect(await card.getByRole('link').count(), `a Save link for ${name}`).toBe(0);
      expect(await card.getByRole('progressbar').count(), `still moving: ${name}`).toBe(0);
      // Ann is told it stopped: a cancel for broken chunks, a failed result for the wrong SHA-256.
      if (text === CORRUPT) expect((await reply(id, 'file-result')).intact, name).toBe(false);
      else await reply(id, 'file-cancel');
    }
    await bobStillWorks('bytes that do not fit their offer');
  });

  it('takes at most 4 files from one person at once and declines the rest as busy', async () => {
    const ids = Array.from({ length: 10 }, newId);
    await sendRaw(
      ...ids.map((id, index) =>
        JSON.stringify({
          kind: 'file-offer',
          id,
          name: `burst ${index}.bin`,
          size: 100,
          type: 'application/octet-stream',
        }),
      ),
    );
    // Every offer gets an answer: taken (file-accept) or declined.
    await ann.page.waitForFunction((ids) => {
      const answered = new Set(
        (window as unknown as Recorded).parleyDataChannels
          .filter((each) => each.label === 'chat')
          .flatMap((each) => each.received)
          .map((text) => JSON.parse(text) as Reply)
          .filter((message) => message.kind === 'file-accept' || message.kind === 'file-decline')
          .map((message) => message.id),
      );
      return ids.every((id) => answered.has(id));
    }, ids);
    const answers = await replies(ids);
    const taken = answers.filter((message) => message.kind === 'file-accept').map((message) => message.id);
    const declined = answers.filter((message) => message.kind === 'file-decline');
    expect(taken.length, 'offers taken at once').toBeGreaterThanOrEqual(1);
    expect(taken.length, 'offers taken at once').toBeLessThanOrEqual(4);
    expect(declined.length + taken.length, 'one answer per offer').toBe(ids.length);
    expect(new Set(declined.map((message) => message.reason)), 'why the rest were declined').toEqual(
      new Set(['busy']),
    );
    // Bob's chat shows each of them, taken or not.
    for (const index of ids.keys()) await fileCard(bob.page, `burst ${index}.bin`).waitFor();
    // Ann gives up the ones taken, so that her next file is not turned away as busy in turn.
    await sendRaw(...taken.map((id) => JSON.stringify({ kind: 'file-cancel', id })));
    for (const index of taken.map((id) => ids.indexOf(id)))
      await fileCard(bob.page, `burst ${index}.bin`).getByText('Ann cancelled it').waitFor();
    await bobStillWorks('ten offers at once');
  });

  it('still takes a genuine 1 MB file from Ann, sent with the page’s own button, intact', async () => {
    const sent = await chooseRandomFile(
      ann.page.getByRole('button', { name: 'Send file' }),
      'genuine after all.bin',
      1024 * 1024,
    );
    const bobCard = fileCard(bob.page, sent.name);
    const save = bobCard.getByRole('link', { name: `Save ${sent.name}` });
    await save.waitFor();
    await bobCard.getByText('Arrived intact (SHA-256 checked)').waitFor();
    expect(await downloadSaved(bob.page, save)).toEqual({
      sha256: sent.sha256,
      size: sent.size,
      savedAs: sent.name,
    });
    await fileCard(ann.page, sent.name).getByText('Bob received it intact').waitFor();
    expect(bobErrors, "errors in Bob's page").toEqual([]);
  });

  /** Chooses, in Ann's page, a file of `text` named `name` of `type`, with the page's own Send file button. */
  async function chooseTextFile(name: string, type: string, text: string): Promise<void> {
    const input = ann.page
      .getByRole('button', { name: 'Send file' })
      .locator('xpath=following-sibling::input[@type="file"][1]');
    await input.evaluate(
      (element: HTMLInputElement, { name, type, text }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([text], name, { type }));
        element.files = transfer.files;
        element.dispatchEvent(new Event('change', { bubbles: true }));
      },
      { name, type, text },
    );
  }

  it('shows and saves a name with a right-to-left override as it really is ("fdp.exe" is not "exe.pdf")', async () => {
    await chooseTextFile('invoice\u202Efdp.exe', 'application/pdf', 'MZ not a pdf');
    const card = bob.page.getByRole('log').getByRole('listitem').filter({ hasText: 'invoice_fdp.exe' });
    const save = card.getByRole('link', { name: 'Save invoice_fdp.exe', exact: true });
    await save.waitFor();
    expect(await card.locator('.file__name').textContent()).toBe('invoice_fdp.exe');
    expect(await save.getAttribute('download')).toBe('invoice_fdp.exe');
    expect(await bob.page.getByRole('log').textContent()).not.toContain('\u202E');
  });

  it('never lets a received HTML file run in Parley’s origin when its link is opened in a tab', async () => {
    await chooseTextFile('page.html', 'text/html', '<img src=x onerror="document.title=\'pwned\'">');
    const save = bob.page.getByRole('link', { name: 'Save page.html', exact: true });
    await save.waitFor();
    const href = await save.getAttribute('href');
    expect(href).toMatch(/^blob:/);
    // What "Open link in new tab" does: the blob: URL, of Parley's origin, as a page of its own.
    const tab = await bob.context.newPage();
    const download = tab.waitForEvent('download', { timeout: 10_000 });
    await tab.goto(href!).catch(() => undefined);
    // A plain download, not a page: nothing of the sender's runs.
    await download;
    expect(await tab.title()).not.toBe('pwned');
    await tab.close();
  });
});
