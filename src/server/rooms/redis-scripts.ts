/**
 * The Redis registry's Lua scripts (`lua/*.lua`), read once when this module loads, and the shapes of
 * their JSON replies. Each script is `prelude.lua` followed by its own file, so each is one EVAL that
 * needs nothing else loaded in Redis.
 *
 * Replies are JSON (Redis's bundled `cjson`) parsed with a schema, not arrays read by position: a script
 * that changes its reply then fails loudly here instead of being misread. cjson encodes an empty Lua
 * table as `{}`, so lists accept that too.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';

/** What the registry needs from a Redis client: a node-redis v5 client (`createClient()`) has it. */
export interface RedisCommandSender {
  sendCommand(args: string[]): Promise<unknown>;
}

export interface Script {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
}

const PRELUDE = lua('prelude');

function lua(name: string): string {
  return readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');
}

function script(name: string): Script {
  const source = `${PRELUDE}\n${lua(name)}`;
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}

export const SCRIPTS = {
  join: script('join'),
  leave: script('leave'),
  members: script('members'),
  sweep: script('sweep'),
  reassert: script('reassert'),
} as const;

/** A list in a cjson reply: `{}` is how cjson writes an empty one. */
function list<T extends z.ZodMiniType>(item: T) {
  return z.pipe(
    z.transform((value: unknown) =>
      typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
        ? []
        : value,
    ),
    z.array(item),
  );
}

const text = z.string();
const member = z.object({ peerId: text, name: text });
const place = z.object({ room: text, peerId: text });

export const REPLIES = {
  join: z.object({
    status: z.enum(['joined', 'resumed', 'full', 'absent', 'locked']),
    created: z.boolean(),
    name: text,
    others: list(member),
    protected: z.boolean(),
    lock: text,
    expired: list(text),
    movedFrom: text,
  }),
  leave: z.union([z.literal(0), z.literal(1)]),
  members: list(member),
  sweep: list(place),
  reassert: z.object({ restored: z.number(), stale: list(place) }),
} as const;

/** Thrown for a reply that does not have its script's shape. */
export class BadReplyError extends Error {
  override readonly name = 'BadReplyError';
}

export type ScriptReply<K extends keyof typeof REPLIES> = z.infer<(typeof REPLIES)[K]>;

/** A script's reply, checked against its shape. */
export function parseReply<K extends keyof typeof REPLIES>(name: K, reply: unknown): ScriptReply<K> {
  let value: unknown = reply;
  if (typeof reply === 'string') {
    try {
      value = JSON.parse(reply);
    } catch {
      throw new BadReplyError(`unexpected reply to ${name}: ${JSON.stringify(reply)}`);
    }
  }
  const parsed = REPLIES[name].safeParse(value);
  if (!parsed.success) throw new BadReplyError(`unexpected reply to ${name}: ${JSON.stringify(reply)}`);
  return parsed.data as ScriptReply<K>;
}

/**
 * Runs `script` with `argv` (the key prefix first): EVALSHA, falling back to EVAL (which also caches the
 * script) when Redis does not know it yet, as after a restart or a SCRIPT FLUSH.
 */
export async function runScript(
  client: RedisCommandSender,
  script: Script,
  argv: string[],
): Promise<unknown> {
  try {
    return await client.sendCommand(['EVALSHA', script.sha, '0', ...argv]);
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
    return await client.sendCommand(['EVAL', script.source, '0', ...argv]);
  }
}
