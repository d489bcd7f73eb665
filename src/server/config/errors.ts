import { type SettingEntry, type UserKey, setting } from './settings.js';

/** A setting has a bad value. The message is one line that names the setting and what it accepts. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** `--flag (ENV)`, as messages about a setting name it. */
export function describeSetting(key: UserKey): string {
  return settingName(setting(key));
}

export function settingName(entry: SettingEntry): string {
  return `--${entry.flag} (${entry.env})`;
}

/** The error for a value the setting does not accept; a secret's value is never repeated. */
export function invalid(entry: SettingEntry, raw: unknown): ConfigError {
  const got = entry.secret ? '' : `, got ${JSON.stringify(raw)}`;
  return new ConfigError(`Invalid ${settingName(entry)}: expected ${entry.allowed}${got}.`);
}

/** Why a file could not be read, in a word where Node gives one (`ENOENT`). */
export function reason(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? (error.message.split('\n')[0] ?? 'unreadable') : 'unreadable';
}
