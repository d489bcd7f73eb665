import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.js';
import { type NetworkNamespace, createNetns } from './netns.js';
import { startServerProcess } from './server-process.js';

/** The port inside the namespace: it is private, so any fixed port is free. */
const PORT = 8443;

/** A server and a Chromium in a network namespace of their own, whose UDP a test may cut off. */
export interface NamespacedCall {
  readonly netns: NetworkNamespace;
  readonly browser: Browser;
  /** The room's link as the browser in the namespace reaches it. */
  roomUrl(room: string): string;
  /** UDP back on (should a failed test have left it off), then browser, server, namespace and data gone. */
  close(): Promise<void>;
}

/**
 * Starts the server and Chromium inside a namespace, so that a blackout touches nothing else on the
 * machine; the pieces started so far are cleaned up if a later one fails to start.
 */
export async function startNamespacedCall(name: string): Promise<NamespacedCall> {
  const dataDir = await mkdtemp(join(tmpdir(), `parley-${name}-`));
  const cleanups: (() => Promise<unknown>)[] = [() => rm(dataDir, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const netns = await createNetns();
    cleanups.push(() => netns.remove());
    const server = await startServerProcess({
      port: PORT,
      dataDir,
      secret: randomBytes(32).toString('base64url'),
      netns: netns.name,
    });
    cleanups.push(() => server.kill());
    const browser = await launchChromium({
      executablePath: netns.chromium,
      extraArgs: ['--allow-loopback-in-peer-connection'],
    });
    cleanups.push(
      () => browser.close(),
      () => netns.unblockUdp(),
    );
    return { netns, browser, roomUrl: (room) => `http://127.0.0.1:${PORT}/r/${room}`, close };
  } catch (error) {
    await close();
    throw error;
  }
}
