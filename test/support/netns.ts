import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CHROMIUM_PATH } from './browser.js';

const run = promisify(execFile);

export interface NetworkNamespace {
  /** Its name, unique to this test process. */
  name: string;
  /**
   * A script that runs Chromium inside the namespace, for Playwright's `executablePath`. Chromium there
   * needs `--allow-loopback-in-peer-connection`: loopback is its only interface.
   */
  chromium: string;
  /** Drops every UDP packet arriving in the namespace (ICE and media); TCP (signaling) is untouched. */
  blockUdp(): Promise<void>;
  unblockUdp(): Promise<void>;
  /** Deletes the namespace and the script. Safe to call twice, and after a failed start. */
  remove(): Promise<void>;
}

const UDP_DROP = ['INPUT', '-p', 'udp', '-j', 'DROP'];

/**
 * A private network namespace with only loopback up, where a server and browsers can run and have their
 * UDP cut off, while the rest of the machine (and everyone else's tests) keeps its network. Everything here
 * runs `ip netns exec NAME ...`: the root namespace's interfaces and iptables are never touched.
 *
 * Needs `ip` (iproute2) and `iptables`, and the right to use them (root or CAP_NET_ADMIN); fails saying so
 * otherwise.
 */
export async function createNetns(): Promise<NetworkNamespace> {
  const name = `parley-${process.pid}-${randomBytes(3).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), 'parley-netns-'));
  const chromium = join(dir, 'chromium-in-netns');
  let created = false;
  const ns = (...args: string[]) => run('ip', ['netns', 'exec', name, ...args]);
  const namespace: NetworkNamespace = {
    name,
    chromium,
    blockUdp: async () => void (await ns('iptables', '-A', ...UDP_DROP)),
    unblockUdp: async () => void (await ns('iptables', '-D', ...UDP_DROP)),
    async remove() {
      if (created) {
        created = false;
        await run('ip', ['netns', 'del', name]).catch(() => undefined);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await run('ip', ['netns', 'add', name]).catch((error: unknown) => {
      throw new Error(
        `Could not create a network namespace (\`ip netns add\`): this test needs iproute2 and the right to ` +
          `use it (root or CAP_NET_ADMIN). ${describe(error)}`,
        { cause: error },
      );
    });
    created = true;
    await ns('ip', 'link', 'set', 'lo', 'up');
    await ns('iptables', '-S').catch((error: unknown) => {
      throw new Error(
        `iptables does not work in the namespace: this test needs it (apt-get install iptables) and the ` +
          `right to use it. ${describe(error)}`,
        { cause: error },
      );
    });
    await writeFile(chromium, `#!/bin/sh\nexec ip netns exec ${name} ${CHROMIUM_PATH} "$@"\n`);
    await chmod(chromium, 0o755);
    return namespace;
  } catch (error) {
    await namespace.remove();
    throw error;
  }
}

function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'stderr' in error && typeof error.stderr === 'string')
    return error.stderr.trim() || (error instanceof Error ? error.message : 'no output');
  return error instanceof Error ? error.message : String(error);
}
