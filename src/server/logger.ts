import { pino, type Logger as PinoLogger } from 'pino';
import type { Config } from './config.js';

export type Logger = PinoLogger;

/**
 * JSON lines on stdout and, when `logFile` is set, appended to that file as well.
 *
 * What gets logged is chosen at each call site, and the rule is: at `info` and above, room names and peer
 * ids only. SDP bodies and ICE candidates carry IP addresses, and IP addresses are personal data, so they
 * are never logged at those levels. The `redact` list is a second line of defence should one slip in.
 */
export function createLogger(config: Pick<Config, 'logLevel' | 'logFile'>): Logger {
  const options = {
    level: config.logLevel,
    base: { service: 'parley' },
    redact: {
      paths: ['signal', 'sdp', 'candidate', 'ip', 'address', '*.sdp', '*.candidate'],
      censor: '[redacted]',
    },
  };
  if (config.logFile === undefined) return pino(options, pino.destination({ dest: 1, sync: true }));
  const streams = pino.multistream([
    { level: config.logLevel, stream: pino.destination({ dest: 1, sync: true }) },
    {
      level: config.logLevel,
      stream: pino.destination({ dest: config.logFile, mkdir: true, append: true, sync: true }),
    },
  ]);
  return pino(options, streams);
}
