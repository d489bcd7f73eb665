/**
 * The server's configuration: one table of settings (`settings.ts`) that drives the command line, the
 * environment, `--help` and the `Config` type.
 *
 * @module
 */
export { type CommandLine, configFrom, readCommandLine } from './parse.js';
export { ConfigError, describeSetting } from './errors.js';
export { helpText, invocation } from './help.js';
export { DEFAULT_WEB_ROOT, PARLEY_VERSION } from './paths.js';
export { LOG_LEVELS, type LogLevel, type Rate, SETTING_GROUPS } from './setting.js';
export { type Config, SETTINGS, SETTING_TABLE, type SettingEntry, type UserKey } from './settings.js';
export { isAllowedOrigin, isTrustProxy, isTurnUrl } from './validators.js';
