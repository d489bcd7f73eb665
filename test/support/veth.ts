import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { promisify } from 'node:util';
import { type NetworkNamespace, createNetns } from './netns.js';

const run = promisify(execFile);

/**
 * A private /30 used only on the veth pair: .1 on the root side, .2 in the namespace. From TEST-NET-like
 * private space nothing on these machines routes (10.213.47.0/30).
 */
export const VETH_ROOT_ADDRESS = '10.213.47.1';
export const VETH_NS_ADDRESS = '10.213.47.2';
const PREFIX = 30;

/** A network namespace joined to the root namespace by a veth pair, whose uplink can be capped with tbf. */
export interface VethNamespace {
  readonly netns: NetworkNamespace;
  /** The root side's interface name (its counters count what the namespace sends). */
  readonly rootVeth: string;
  /** The namespace side's interface name (where the cap's qdisc sits). */
  readonly nsVeth: string;
  /**
   * Caps what leaves the namespace at `kbit` kbit/s: a token bucket (this kernel has no netem; see the
   * testing guide's "Bad networks"), burst 32 kbit, at most 400 ms of queue.
   */
  capUplink(kbit: number): Promise<void>;
  /** Removes the cap; does nothing when there is none. */
  uncap(): Promise<void>;
  /** Bytes the namespace has sent through the pair so far (the root side's rx_bytes, headers included). */
  sentBytes(): Promise<number>;
  /** Deletes the namespace, which takes the pair (and the qdisc) with it. Safe to call twice. */
  remove(): Promise<void>;
  /** The same, synchronously: for a process that is about to exit (a watchdog, a signal). */
  removeNow(): void;
}

/**
 * Makes a namespace (test/support/netns.ts: only loopback, and a script that runs Chromium inside it) and
 * joins it to the root namespace by a veth pair with {@link VETH_ROOT_ADDRESS} and {@link VETH_NS_ADDRESS},
 * both with MTU 1500 (tbf needs a real MTU). The namespace gets no default route: it reaches exactly the
 * root side's address, so a server listening there and browsers in the root namespace (whose ICE host
 * candidates include that address) are reachable, and nothing else is.
 *
 * Fails, saying why, when the /30 is already on an interface (a run that died without cleaning up: remove
 * it with `ip link del`), or without the right to make namespaces (root or CAP_NET_ADMIN).
 */
export async function createVethNamespace(): Promise<VethNamespace> {
  const taken = Object.entries(networkInterfaces()).find(([, addresses]) =>
    addresses?.some((address) => address.address === VETH_ROOT_ADDRESS),
  );
  if (taken)
    throw new Error(
      `${VETH_ROOT_ADDRESS} is already on interface ${taken[0]} (left by an earlier run?): ` +
        `remove it with \`ip link del ${taken[0]}\`.`,
    );
  const netns = await createNetns();
  const id = randomBytes(3).toString('hex');
  // Interface names have at most 15 characters.
  const rootVeth = `pv${id}r`;
  const nsVeth = `pv${id}n`;
  const ns = (...args: string[]) => run('ip', ['netns', 'exec', netns.name, ...args]);
  let capped = false;
  const veth: VethNamespace = {
    netns,
    rootVeth,
    nsVeth,
    async capUplink(kbit) {
      // Arguments as in the testing guide; `latency` bounds the queue, so a sender over the rate loses packets.
      await ns(
        'tc',
        'qdisc',
        'add',
        'dev',
        nsVeth,
        'root',
        'tbf',
        'rate',
        `${kbit}kbit`,
        'burst',
        '32kbit',
        'latency',
        '400ms',
      );
      capped = true;
    },
    async uncap() {
      if (!capped) return;
      capped = false;
      await ns('tc', 'qdisc', 'del', 'dev', nsVeth, 'root');
    },
    async sentBytes() {
      return Number((await readFile(`/sys/class/net/${rootVeth}/statistics/rx_bytes`, 'utf8')).trim());
    },
    // Deleting the namespace destroys its end of the pair, and with it the root end.
    remove: () => netns.remove(),
    removeNow() {
      try {
        execFileSync('ip', ['netns', 'del', netns.name], { stdio: 'ignore' });
      } catch {
        // Already gone.
      }
    },
  };
  try {
    await run('ip', ['link', 'add', rootVeth, 'type', 'veth', 'peer', 'name', nsVeth, 'netns', netns.name]);
    await run('ip', ['addr', 'add', `${VETH_ROOT_ADDRESS}/${PREFIX}`, 'dev', rootVeth]);
    await run('ip', ['link', 'set', rootVeth, 'mtu', '1500', 'up']);
    await ns('ip', 'addr', 'add', `${VETH_NS_ADDRESS}/${PREFIX}`, 'dev', nsVeth);
    await ns('ip', 'link', 'set', nsVeth, 'mtu', '1500', 'up');
    await ns('tc', 'qdisc', 'show', 'dev', nsVeth).catch((error: unknown) => {
      throw new Error(`tc does not work in the namespace: this needs iproute2 (apt-get install iproute2).`, {
        cause: error,
      });
    });
    return veth;
  } catch (error) {
    await veth.remove();
    // The root end, should the pair have been made before the namespace end moved in.
    await run('ip', ['link', 'del', rootVeth]).catch(() => undefined);
    throw error;
  }
}
