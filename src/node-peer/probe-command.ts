import { writeFile, rename } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import * as z from 'zod/mini';
import { ProbeFailure, runProbe, type ProbeSuccess } from './probe.js';

export const PROBE_HELP = `Usage: parley probe URL [options]

Makes a test call against a running Parley, as a browser would: connects to signaling, gets the ICE
servers, asks the server for an echo peer (Test call), connects to it, sends synthetic video and audio and
a data-channel message, and checks that they come back. Prints the time of each stage, the path and the
round trip. Exits 0 on success; otherwise 1, with one line saying what failed, within the timeout.

Options:
  --json             Print one JSON line instead of text
  --insecure         Accept a certificate that does not verify (self-signed)
  --timeout S        Give up after S seconds (default 15)
  --prometheus FILE  Also write the result for node_exporter's textfile collector
  --help             Show this text
`;

const Options = z.object({
  url: z.url({ protocol: /^https?$/, error: 'URL must be an http:// or https:// address' }),
  json: z.boolean(),
  insecure: z.boolean(),
  timeoutSeconds: z
    .number()
    .check(
      z.minimum(1, '--timeout must be at least 1 second'),
      z.maximum(600, '--timeout must be at most 600 seconds'),
    ),
  prometheus: z.optional(z.string().check(z.minLength(1))),
});

/** What the command line asked for, or the one line to print when it makes no sense. */
export function parseProbeArgs(
  args: readonly string[],
):
  | { kind: 'help' }
  | { kind: 'probe'; options: z.infer<typeof Options> }
  | { kind: 'error'; message: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        insecure: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '15' },
        prometheus: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (parsed.values.help) return { kind: 'help' };
  if (parsed.positionals.length !== 1) return { kind: 'error', message: 'give exactly one URL to probe' };
  const result = Options.safeParse({
    url: parsed.positionals[0],
    json: parsed.values.json,
    insecure: parsed.values.insecure,
    timeoutSeconds: Number(parsed.values.timeout),
    prometheus: parsed.values.prometheus,
  });
  if (!result.success) return { kind: 'error', message: result.error.issues[0]?.message ?? 'bad arguments' };
  return { kind: 'probe', options: result.data };
}

/**
 * `parley probe`: runs the probe and reports it. Returns the exit code; prints nothing but the report
 * (stdout) or one line (stderr), never a stack trace.
 */
export async function probeCommand(args: readonly string[]): Promise<number> {
  const line = parseProbeArgs(args);
  if (line.kind === 'help') {
    process.stdout.write(PROBE_HELP);
    return 0;
  }
  if (line.kind === 'error') {
    process.stderr.write(`parley probe: ${line.message}\n`);
    return 2;
  }
  const { options } = line;
  let outcome: ProbeSuccess | ProbeFailure;
  try {
    outcome = await runProbe({
      url: options.url,
      insecure: options.insecure,
      timeoutMs: options.timeoutSeconds * 1000,
    });
  } catch (error) {
    outcome = error instanceof ProbeFailure ? error : new ProbeFailure('signalingMs', String(error));
  }
  if (options.prometheus !== undefined) {
    try {
      await writeTextfile(options.prometheus, outcome, options.url);
    } catch (error) {
      process.stderr.write(`parley probe: cannot write ${options.prometheus}: ${String(error)}\n`);
    }
  }
  if (outcome instanceof ProbeFailure) {
    if (options.json)
      process.stdout.write(
        `${JSON.stringify({ ok: false, url: options.url, stage: outcome.stage, error: outcome.message })}\n`,
      );
    process.stderr.write(`parley probe: FAILED: ${outcome.message}\n`);
    return 1;
  }
  process.stdout.write(options.json ? `${JSON.stringify(outcome)}\n` : textReport(outcome));
  return 0;
}

function textReport(result: ProbeSuccess): string {
  const { stages } = result;
  return [
    `OK: a call to ${result.url} set up in ${result.setupMs} ms`,
    `  signaling connected   ${stages.signalingMs} ms`,
    `  echo peer ready       ${stages.echoPeerMs} ms`,
    `  joined                ${stages.joinMs} ms`,
    `  ICE connected         ${stages.iceConnectedMs} ms`,
    `  data channel echoed   ${stages.dataChannelMs} ms`,
    `  first frame echoed    ${stages.firstFrameMs} ms`,
    `  path                  ${result.path} over ${result.protocol.toUpperCase()}`,
    `  round trip            ${result.rttMs} ms`,
    `  video frames back     ${result.framesBack} of ${result.framesSent}; audio packets back ${result.audioBack} of ${result.audioSent}`,
    '',
  ].join('\n');
}

/**
 * node_exporter's textfile collector reads `*.prom` files whole; written beside and renamed, so it never
 * reads half a file (https://github.com/prometheus/node_exporter#textfile-collector).
 */
async function writeTextfile(path: string, outcome: ProbeSuccess | ProbeFailure, url: string): Promise<void> {
  const label = `{url="${url.replace(/["\\\n]/g, '_')}"}`;
  const ok = !(outcome instanceof ProbeFailure);
  const lines = [
    '# HELP parley_probe_success Whether the last parley probe set up a call and got its media back.',
    '# TYPE parley_probe_success gauge',
    `parley_probe_success${label} ${ok ? 1 : 0}`,
    '# HELP parley_probe_timestamp_seconds When the last parley probe ended.',
    '# TYPE parley_probe_timestamp_seconds gauge',
    `parley_probe_timestamp_seconds${label} ${Math.round(Date.now() / 1000)}`,
  ];
  if (ok) {
    lines.push(
      '# HELP parley_probe_stage_seconds Time from the start of the probe to the end of each stage.',
      '# TYPE parley_probe_stage_seconds gauge',
      ...Object.entries(outcome.stages).map(
        ([stage, ms]) =>
          `parley_probe_stage_seconds{url=${label.slice(5, -1)},stage="${stage.replace(/Ms$/, '')}"} ${ms / 1000}`,
      ),
      '# HELP parley_probe_rtt_seconds Round trip of a data-channel message through the echo peer.',
      '# TYPE parley_probe_rtt_seconds gauge',
      `parley_probe_rtt_seconds${label} ${outcome.rttMs / 1000}`,
      '# HELP parley_probe_relayed Whether the call went through a TURN relay.',
      '# TYPE parley_probe_relayed gauge',
      `parley_probe_relayed${label} ${outcome.path === 'relay' ? 1 : 0}`,
    );
  }
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${lines.join('\n')}\n`);
  await rename(temporary, path);
}
