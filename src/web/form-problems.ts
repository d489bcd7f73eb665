import { DISPLAY_NAME_MAX, ROOM_PASSWORD_MAX } from '../protocol/index.js';
import type { PlainKey, Translate } from './i18n/index.js';

/**
 * The display-name checks' messages (src/protocol/names.ts), each with its catalog key. The schema speaks
 * English to programs; the page shows its own words, and a message it does not know as a general one.
 */
const NAME_PROBLEMS: Record<string, PlainKey> = {
  'Name is empty.': 'name.empty',
  'Name contains unprintable characters.': 'name.unprintable',
  'Name contains a broken character.': 'name.broken',
  'Name contains invisible characters.': 'name.invisible',
  'Name has nothing visible in it.': 'name.nothingVisible',
  'Name stacks too many accents on one letter.': 'name.tooManyMarks',
};

/** What is wrong with a display name, from the schema's first issue. */
export function nameProblemText(issue: { code: string; message: string } | undefined, t: Translate): string {
  if (issue?.code === 'too_big') return t('name.tooLong', { max: DISPLAY_NAME_MAX });
  const key = issue && NAME_PROBLEMS[issue.message];
  return key ? t(key) : t('name.invalid');
}

/** What is wrong with a room password, from the schema's first issue. */
export function passwordProblemText(issue: { code: string } | undefined, t: Translate): string {
  if (issue?.code === 'too_big') return t('password.tooLong', { max: ROOM_PASSWORD_MAX });
  return t('password.invalid');
}
