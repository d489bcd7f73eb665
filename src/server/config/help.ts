import { SETTINGS } from './settings.js';
import { SETTING_GROUPS } from './setting.js';

/** `--help` fits a terminal of this many columns. */
const HELP_COLUMNS = 100;

/**
 * How the person started Parley, for the messages that tell them what to type next: npm passes its own
 * arguments to the script only after `--`.
 */
export function invocation(env: NodeJS.ProcessEnv): string {
  return env['npm_lifecycle_event'] === 'start' ? 'npm start --' : 'parley';
}

/** What `--help` prints: the settings by group, from the same table that parses them. */
export function helpText(command = 'parley'): string {
  const lines = [
    `Usage: ${command} [options]`,
    '',
    ...wrap(
      'Runs the Parley server. Every option can also be set by the environment variable named beside it; a flag wins over the environment. Secrets given as flags can be read by anyone on the machine (`ps`): give them in the environment, or in a file named by the variable with _FILE added (PARLEY_SECRET_FILE=/run/secrets/parley).',
      0,
    ),
  ];
  for (const [group, heading] of Object.entries(SETTING_GROUPS)) {
    lines.push('', heading);
    for (const s of SETTINGS.filter((candidate) => candidate.group === group)) {
      const flag = `--${s.flag}${s.kind === 'boolean' ? '' : ' <value>'}`;
      const shown = s.default === undefined ? 'unset' : `default ${s.default}`;
      lines.push(`  ${flag.padEnd(32)} ${s.env} (${shown})`);
      lines.push(...wrap(`${s.description}: ${s.allowed}.`, 6));
    }
  }
  lines.push('', 'Other', `  ${'--version'.padEnd(32)} Print the version and exit`);
  lines.push(`  ${'--help, -h'.padEnd(32)} Print this help and exit`, '');
  return lines.join('\n');
}

/** Words folded into lines of at most {@link HELP_COLUMNS}, each indented by `indent` spaces. */
function wrap(text: string, indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent + line.length + 1 + word.length > HELP_COLUMNS) {
      lines.push(' '.repeat(indent) + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(' '.repeat(indent) + line);
  return lines;
}
