/**
 * Whether the uplink cap of bench/mesh.ts holds by itself, apart from what the browsers happen to send: a
 * UDP sender inside the namespace offers far more than the cap for a few seconds, and the root side of the
 * veth pair counts what got through. On a busy machine the browsers may never reach the cap; this shows it
 * is there all the same.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { VETH_ROOT_ADDRESS, type VethNamespace } from '../test/support/veth.js';

const run = promisify(execFile);

/** Offered: 1,250-byte datagrams, 10 every 10 ms: 10 Mbit/s, well over the cap. */
const SENDER = `
const socket = require('node:dgram').createSocket('udp4');
const payload = Buffer.alloc(1250);
let offered = 0;
const until = Date.now() + Number(process.argv[2]) * 1000;
const timer = setInterval(() => {
  if (Date.now() >= until) {
    clearInterval(timer);
    setTimeout(() => { socket.close(); console.log(offered); }, 100);
    return;
  }
  // Port 9 (discard): nothing needs to listen, the packets are counted as they arrive on the pair.
  for (let i = 0; i < 10; i += 1) socket.send(payload, 9, process.argv[1], (error) => { if (!error) offered += 1250; });
}, 10);
`;

export interface CapCheck {
  /** What the sender handed to the kernel, Mbit/s. */
  offeredMbps: number;
  /** What arrived on the root side, IP and Ethernet headers included, Mbit/s. */
  passedMbps: number;
}

/** Offers 10 Mbit/s of UDP from inside the namespace for `seconds` and measures what passes the pair. */
export async function checkCap(veth: VethNamespace, seconds = 5): Promise<CapCheck> {
  const before = await veth.sentBytes();
  const { stdout } = await run(
    'ip',
    ['netns', 'exec', veth.netns.name, process.execPath, '-e', SENDER, VETH_ROOT_ADDRESS, String(seconds)],
    { timeout: (seconds + 20) * 1000 },
  );
  // The queue (at most 400 ms of it) drains after the sender stops: counted in, but divided by the sending
  // time only, so the figure errs high, never in the cap's favour.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = await veth.sentBytes();
  return {
    offeredMbps: (Number(stdout.trim()) * 8) / 1e6 / seconds,
    passedMbps: ((after - before) * 8) / 1e6 / seconds,
  };
}
