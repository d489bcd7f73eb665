import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createLogger } from './logger.js';

const LogLine = z.record(z.string(), z.unknown());
const parseLine = (line: string) => LogLine.parse(JSON.parse(line));

/** Collects what the logger writes to "stdout", one parsed JSON object per line. */
function memoryStdout() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(parseLine(line));
      }
      done();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-log-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes JSON lines to stdout at the configured level', () => {
    const stdout = memoryStdout();
    const logger = createLogger({ logLevel: 'info' }, stdout.stream);
    logger.debug('not shown');
    logger.info({ room: 'kitchen', peerId: 'abcdefghij' }, 'peer joined');
    expect(stdout.lines).toHaveLength(1);
    expect(stdout.lines[0]).toMatchObject({
      level: 30,
      room: 'kitchen',
      peerId: 'abcdefghij',
      msg: 'peer joined',
    });
  });

  it('appends the same lines to the log file, creating its directory', async () => {
    const stdout = memoryStdout();
    const logFile = join(dir, 'logs', 'parley.log');
    const logger = createLogger({ logLevel: 'debug', logFile }, stdout.stream);
    logger.debug({ room: 'r' }, 'first');
    logger.warn({ room: 'r' }, 'second');
    logger.flush();
    const lines = (await readFile(logFile, 'utf8')).trim().split('\n');
    expect(lines.map((line) => parseLine(line).msg)).toEqual(['first', 'second']);
    expect(stdout.lines.map((line) => line.msg)).toEqual(['first', 'second']);
  });

  it('logs nothing at all when silent, even with a log file', async () => {
    const stdout = memoryStdout();
    const logFile = join(dir, 'parley.log');
    const logger = createLogger({ logLevel: 'silent', logFile }, stdout.stream);
    logger.error('not shown');
    logger.flush();
    expect(stdout.lines).toEqual([]);
    expect(await readFile(logFile, 'utf8')).toBe('');
  });

  it('redacts signal bodies should one be logged by mistake', () => {
    const stdout = memoryStdout();
    const logger = createLogger({ logLevel: 'info' }, stdout.stream);
    logger.info({ signal: { kind: 'candidate' }, description: { sdp: 'v=0 c=IN IP4 192.0.2.1' } }, 'oops');
    expect(JSON.stringify(stdout.lines[0])).not.toContain('192.0.2.1');
    expect(stdout.lines[0]).toMatchObject({ signal: '[redacted]', description: { sdp: '[redacted]' } });
  });

  it('redacts a room password should a join request be logged by mistake', () => {
    const stdout = memoryStdout();
    const logger = createLogger({ logLevel: 'info' }, stdout.stream);
    logger.info({ password: 'hunter2', request: { room: 'r', password: 'hunter2' } }, 'oops');
    expect(JSON.stringify(stdout.lines[0])).not.toContain('hunter2');
    expect(stdout.lines[0]).toMatchObject({ password: '[redacted]', request: { password: '[redacted]' } });
  });
});
