import { type DestinationStream, type Logger as PinoLogger, pino } from 'pino';
import type { Config } from './config/index.js';

export type Logger = PinoLogger;

/**
 * JSON lines on stdout and, when `logFile` is set, appended to that file as well.
 *
 * What gets logged is chosen at each call site, and the rule is: at `info` and above, room names and peer
 * ids only. SDP bodies and ICE candidates carry IP addresses, and IP addresses are personal data, so they
 * are never logged at those levels; room passwords are never logged at any level. The `redact` list is a
 * second line of defence should one slip in.
 *
 * @param stdout where the stdout half goes; tests pass their own stream.
 */
export function createLogger(
  config: Pick<Config, 'logLevel' | 'logFile'>,
  stdout: DestinationStream = pino.destination({ dest: 1, sync: true }),
): Logger {
  const options = {
    level: config.logLevel,
    base: { service: 'parley' },
    redact: {
      paths: [
        'signal',
        'sdp',
        'candidate',
        'ip',
        'address',
        'password',
        '*.sdp',
        '*.candidate',
        '*.signal',
        '*.password',
      ],
      censor: '[redacted]',
    },
  };
  if (config.logFile === undefined) return pino(options, stdout);
  // `silent` is not a level a stream can have; nothing reaches the streams then anyway.
  const level = config.logLevel === 'silent' ? 'fatal' : config.logLevel;
  const file = pino.destination({ dest: config.logFile, mkdir: true, append: true, sync: true });
  return pino(
    options,
    pino.multistream([
      { level, stream: stdout },
      { level, stream: file },
    ]),
  );
}
