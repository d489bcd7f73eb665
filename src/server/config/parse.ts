import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { finish } from './assemble.js';
import { ConfigError, invalid, reason, settingName } from './errors.js';
import { helpText, invocation } from './help.js';
import { PARLEY_VERSION } from './paths.js';
import type { Kind } from './setting.js';
import { type Config, SETTINGS, type SettingEntry, type UserKey } from './settings.js';

const BOOLEAN_WORDS: Record<string, boolean> = {
  true: true,
  1: true,
  yes: true,
  false: false,
  0: false,
  no: false,
};

/** Turns what a user typed into a value of the setting's type; anything unreadable fails the schema. */
function fromText(kind: Kind, raw: string): unknown {
  switch (kind) {
    case 'integer':
      return /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    case 'boolean':
      return BOOLEAN_WORDS[raw.trim().toLowerCase()] ?? raw;
    case 'string':
      return raw;
    case 'list':
      return raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    case 'rate': {
      const match = /^\s*(\d{1,9})\s*\/\s*(\d{1,9})\s*s?\s*$/.exec(raw);
      return match ? { points: Number(match[1]), seconds: Number(match[2]) } : raw;
    }
  }
}

function check(setting: SettingEntry, value: unknown, shown: unknown = value): unknown {
  const parsed = setting.schema.safeParse(value);
  if (!parsed.success) throw invalid(setting, shown);
  return parsed.data;
}

/** What the command line asks for: the help text, or a server with this configuration. */
export type CommandLine =
  { kind: 'help'; text: string } | { kind: 'version'; text: string } | { kind: 'run'; config: Config };

/**
 * Reads the configuration from command-line flags and environment variables (flags win).
 *
 * @throws {ConfigError} for an unknown flag, a stray argument or a bad value.
 * @example
 * const line = readCommandLine(process.argv.slice(2), process.env);
 * if (line.kind === 'help') console.log(line.text);
 */
export function readCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): CommandLine {
  const options = Object.fromEntries(
    SETTINGS.map((s) => [
      s.flag,
      { type: s.kind === 'boolean' ? ('boolean' as const) : ('string' as const) },
    ]),
  );
  // Not strict: we walk the tokens ourselves to name the offending flag in our own words.
  const { tokens } = parseArgs({
    args: [...argv],
    options: { ...options, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });

  const command = invocation(env);
  const fromFlags = new Map<SettingEntry, string>();
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      throw new ConfigError(`Unexpected argument ${JSON.stringify(token.value)}; see ${command} --help.`);
    }
    if (token.name === 'help') return { kind: 'help', text: helpText(command) };
    if (token.name === 'version') return { kind: 'version', text: `parley ${PARLEY_VERSION}\n` };
    const setting = SETTINGS.find((s) => s.flag === token.name);
    if (!setting) throw new ConfigError(`Unknown option ${token.rawName}; see ${command} --help.`);
    if (token.value === undefined) {
      if (setting.kind !== 'boolean') {
        throw new ConfigError(`Missing value for ${settingName(setting)}: expected ${setting.allowed}.`);
      }
      fromFlags.set(setting, 'true');
    } else {
      fromFlags.set(setting, token.value);
    }
  }

  const values: Partial<Record<UserKey, unknown>> = {};
  for (const setting of SETTINGS) {
    const envValue = setting.secret ? secretFromEnvironment(setting, env) : env[setting.env];
    // An empty environment variable counts as unset, as shells make those easily by accident.
    const raw = fromFlags.get(setting) ?? (envValue === '' ? undefined : envValue) ?? setting.default;
    if (raw !== undefined) values[setting.key] = check(setting, fromText(setting.kind, raw), raw);
  }
  return { kind: 'run', config: finish(values) };
}

/**
 * A secret from its variable or from the file its `_FILE` variable names (systemd's `LoadCredential`,
 * Docker and Kubernetes secrets), without the file's trailing newline.
 */
function secretFromEnvironment(setting: SettingEntry, env: NodeJS.ProcessEnv): string | undefined {
  const fileVariable = `${setting.env}_FILE`;
  const path = env[fileVariable];
  if (path === undefined || path === '') return env[setting.env];
  if (env[setting.env] !== undefined && env[setting.env] !== '')
    throw new ConfigError(`Set ${setting.env} or ${fileVariable}, not both.`);
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new ConfigError(`Invalid ${fileVariable}: cannot read ${path} (${reason(error)}).`);
  }
}

/**
 * A configuration from the defaults and typed overrides, checked like the command line is. For code that
 * starts a server itself (tests, embedding).
 *
 * @throws {ConfigError} for a bad value.
 */
export function configFrom(overrides: Partial<Config> = {}): Config {
  const values: Partial<Record<UserKey, unknown>> = {};
  for (const setting of SETTINGS) {
    if (setting.default !== undefined) values[setting.key] = fromText(setting.kind, setting.default);
    if (setting.key in overrides) {
      const value = overrides[setting.key];
      values[setting.key] = value === undefined ? undefined : check(setting, value);
    }
  }
  return finish(values, overrides.webRoot);
}
