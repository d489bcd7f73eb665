/**
 * A Parley node in a process of its own, so that a test can kill it with SIGKILL the way a crash would.
 * Argument: the Redis URL. Prints the server's URL on stdout once it listens.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFrom, startParley } from '../../../src/server/index.js';
import { FAST_REGISTRY } from '../../support/timing.js';

const redisUrl = process.argv[2];
if (redisUrl === undefined) throw new TypeError('usage: redis-node.ts <redis-url>');
const dataDir = await mkdtemp(join(tmpdir(), 'parley-node-'));
const server = await startParley(
  configFrom({ host: '127.0.0.1', port: 0, http: true, logLevel: 'silent', dataDir, redisUrl }),
  { registryTiming: FAST_REGISTRY },
);
process.stdout.write(`${server.url}\n`);
