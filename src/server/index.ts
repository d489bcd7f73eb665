export { type RunningServer, type StartOptions, startParley } from './app.js';
export {
  type CommandLine,
  type Config,
  ConfigError,
  DEFAULT_WEB_ROOT,
  LOG_LEVELS,
  type LogLevel,
  SETTINGS,
  configFrom,
  helpText,
  readCommandLine,
} from './config/index.js';
export { type Logger, createLogger } from './logger.js';
export type { EchoPeerHandle, EchoPeerRequest, StartEchoPeer } from './echo-peers.js';
