/**
 * A Parley node in a process of its own, so that a test can kill it with SIGKILL the way a crash would.
 * Arguments: the Redis URL and a data directory (the test deletes it). Prints the server's URL on stdout
 * once it listens.
 */
import { configFrom, startParley } from '../../../src/server/index.js';
import { FAST_REGISTRY } from '../../support/timing.js';

const [redisUrl, dataDir] = process.argv.slice(2);
if (redisUrl === undefined || dataDir === undefined) {
  throw new TypeError('usage: redis-node.ts <redis-url> <data-dir>');
}
const server = await startParley(
  configFrom({ host: '127.0.0.1', port: 0, stunPort: 0, http: true, logLevel: 'silent', dataDir, redisUrl }),
  { registryTiming: FAST_REGISTRY },
);
process.stdout.write(`${server.url}\n`);
