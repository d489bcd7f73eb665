#!/usr/bin/env node
/**
 * The `parley` command: runs the server (`parley`, or `parley serve`), or makes a test call against one
 * (`parley probe URL`, see `parley probe --help`). Flags and environment variables are listed by `parley --help`.
 * Exit codes: 0 after a clean shutdown (SIGINT, SIGTERM) or --help, 1 when starting fails or shutting down
 * takes longer than --shutdown-timeout-ms, 2 for a bad setting. A second signal while shutting down stops
 * the process at once.
 */
import { networkInterfaces } from 'node:os';
import { ConfigError, type StartEchoPeer, readCommandLine, startParley } from './server/index.js';

/**
 * The echo peers of Test call, from the Node peer; loaded at the first test call, so that a server whose
 * lobby never asks for one never loads a WebRTC stack.
 */
const startEchoPeer: StartEchoPeer = async (request) => {
  const nodePeer = await import('./node-peer/index.js');
  return nodePeer.startEchoPeer(request);
};

async function main(): Promise<void> {
  let args = process.argv.slice(2);
  if (args[0] === 'probe') {
    const { probeCommand } = await import('./node-peer/probe-command.js');
    // Exits at once: werift's sockets and timers would otherwise keep the process alive for a while.
    process.exit(await probeCommand(args.slice(1)));
  }
  if (args[0] === 'serve') args = args.slice(1);
  let line;
  try {
    line = readCommandLine(args, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`parley: ${error.message}\n`);
    process.exit(2);
  }
  if (line.kind === 'help' || line.kind === 'version') {
    process.stdout.write(line.text);
    return;
  }

  const { config } = line;
  const server = await startParley(config, { startEchoPeer });
  // Loaded now, in the background, so that the first Test call does not wait seconds for werift to load.
  if (config.testCalls > 0) void import('./node-peer/index.js').catch(() => {});

  // stdout carries JSON log lines; what a person needs to read goes to stderr.
  const scheme = config.http ? 'http' : 'https';
  const lines = ['', 'Parley is running. Open:', `  ${server.url}`];
  for (const address of lanAddresses(config.host)) lines.push(`  ${scheme}://${address}:${server.port}`);
  if (server.fingerprint256) {
    lines.push('', 'Certificate SHA-256 fingerprint (compare it with what the browser shows):');
    lines.push(`  ${server.fingerprint256}`);
  }
  process.stderr.write(`${lines.join('\n')}\n\n`);

  const shutdown = () => {
    setTimeout(() => {
      process.stderr.write(
        `parley: shutdown took longer than ${config.shutdownTimeoutMs} ms (--shutdown-timeout-ms); exiting anyway\n`,
      );
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`parley: error while shutting down: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

/**
 * The addresses other machines can reach us on, formatted for a URL. Only when listening on every
 * interface; a specific host is the only address there is.
 */
function lanAddresses(host: string): string[] {
  const wildcard = host === '0.0.0.0' || host === '::';
  if (!wildcard)
    return host === 'localhost' || host === '127.0.0.1' ? [] : [host.includes(':') ? `[${host}]` : host];
  return Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .filter((entry) => !entry.internal)
    .filter((entry) => entry.family === 'IPv4' || (host === '::' && !entry.address.startsWith('fe80:')))
    .map((entry) => (entry.family === 'IPv6' ? `[${entry.address}]` : entry.address));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `parley: could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
