import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { startEchoPeer } from '../../src/node-peer/index.js';
import { freePort } from '../support/ports.js';
import { type TestServer, startTestServer } from '../support/server.js';

const CLI = join(import.meta.dirname, '../../src/cli.ts');
/** The probe's own timeout in these tests, and what the whole command may take beyond it (tsx starting). */
const TIMEOUT_S = 10;
const STARTUP_SLACK_MS = 15_000;

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

/** Runs `parley probe …` from source and resolves when it exits. */
function probe(args: string[]): Promise<Exit> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'probe', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) =>
    child.once('exit', (code) => resolve({ code, stdout, stderr, elapsedMs: Date.now() - started })),
  );
}

describe('parley probe', () => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    // HTTPS with the self-signed certificate a fresh Parley makes, and echo peers as `cli.ts` gives them.
    server = await startTestServer({ http: false }, { startEchoPeer });
    dir = await mkdtemp(join(tmpdir(), 'parley-probe-'));
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'makes a test call and prints one JSON line with the stages, the path and the round trip',
    { timeout: 60_000 },
    async () => {
      const textfile = join(dir, 'parley.prom');
      const run = await probe([
        server.url,
        '--insecure',
        '--json',
        '--timeout',
        '30',
        '--prometheus',
        textfile,
      ]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const lines = run.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      const result: unknown = JSON.parse(lines[0] ?? '');
      const number = z.number().check(z.nonnegative());
      // The fields a monitoring system reads, checked as it would parse them.
      const parsed = z
        .object({
          ok: z.literal(true),
          setupMs: number,
          path: z.literal('direct'),
          protocol: z.literal('udp'),
          rttMs: number,
          stages: z.object({
            signalingMs: number,
            echoPeerMs: number,
            joinMs: number,
            iceConnectedMs: number,
            dataChannelMs: number,
            firstFrameMs: number,
          }),
          framesBack: z.number().check(z.positive()),
          audioBack: z.number().check(z.positive()),
        })
        .parse(result);
      expect(parsed.setupMs).toBe(parsed.stages.firstFrameMs);
      const prom = await readFile(textfile, 'utf8');
      expect(prom).toContain(`parley_probe_success{url="${server.url}"} 1`);
      expect(prom).toMatch(/parley_probe_stage_seconds\{url="[^"]+",stage="firstFrame"\} [\d.]+/);
    },
  );

  it(
    'fails in one line, within the timeout, against a port nobody listens on',
    { timeout: 60_000 },
    async () => {
      const run = await probe([`http://127.0.0.1:${await freePort()}`, '--timeout', String(TIMEOUT_S)]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(
        /^parley probe: FAILED: .*(cannot reach|connecting to the signaling server)/,
      );
      expect(run.elapsedMs).toBeLessThan(TIMEOUT_S * 1000 + STARTUP_SLACK_MS);
    },
  );

  it('refuses a self-signed certificate without --insecure, in one line', { timeout: 60_000 }, async () => {
    const run = await probe([server.url, '--timeout', String(TIMEOUT_S), '--json']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^parley probe: FAILED: cannot reach .*certificate/i);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, stage: 'signalingMs' });
    expect(run.elapsedMs).toBeLessThan(TIMEOUT_S * 1000 + STARTUP_SLACK_MS);
  });

  it('says plainly when the server has test calls turned off', { timeout: 60_000 }, async () => {
    const off = await startTestServer({ testCalls: 0 }, { startEchoPeer });
    try {
      const run = await probe([off.url, '--timeout', String(TIMEOUT_S)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        'parley probe: FAILED: no echo peer: Test calls are turned off on this server. (UNAVAILABLE)\n',
      );
    } finally {
      await off.close();
    }
  });

  it('explains a bad command line with exit code 2', async () => {
    const run = await probe(['not a url']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('parley probe: URL must be an http:// or https:// address\n');
  });
});
