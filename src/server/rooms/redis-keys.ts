/**
 * Where the Redis registry keeps what, and the names it builds keys from.
 *
 * ## Key layout (`P` is the prefix, `parley:` by default)
 *
 * | key                      | type   | holds                                                          |
 * | ------------------------ | ------ | -------------------------------------------------------------- |
 * | `P rooms`                | set    | names of the rooms that have members (`roomCount()` is SCARD)  |
 * | `P room:<room>:order`    | zset   | peer id → join sequence; the score orders members by arrival  |
 * | `P room:<room>:names`    | hash   | peer id → display name as first registered                    |
 * | `P room:<room>:nodes`    | hash   | peer id → id of the node (server) that holds its socket        |
 * | `P room:<room>:lock`     | string | the room's password hash (scrypt), when the room is locked     |
 * | `P node:<id>`            | string | the node's heartbeat, set with a TTL and refreshed by the node |
 * | `P node:<id>:members`    | set    | `<room>\n<peer id>` for each member the node holds             |
 * | `P nodes`                | set    | ids of the nodes that hold at least one member                 |
 * | `P peer:<id>`            | string | the room the peer id is in (one at most)                       |
 *
 * Redis deletes an emptied set, zset or hash by itself, so a room that loses its last member leaves no key
 * behind, and the scripts drop its name from `P rooms` and its lock at the same moment. With everyone gone, only the
 * heartbeats of running nodes remain.
 *
 * @module
 */

/** Prefix of every key unless the registry is given another. */
export const DEFAULT_PREFIX = 'parley:';

/** Joins a room name and a peer id in a node's member set; neither can contain it. */
export const SEPARATOR = '\n';

/** `prefix` followed by `parts` joined with colons: `redisKey('parley:', 'room', r, 'order')`. */
export function redisKey(prefix: string, ...parts: string[]): string {
  return prefix + parts.join(':');
}

/** A node's member set joins room and peer id with a newline, so neither may contain one. */
export function checkNames(room: string, peerId: string): void {
  if (room === '' || peerId === '' || room.includes(SEPARATOR) || peerId.includes(SEPARATOR)) {
    throw new TypeError('room names and peer ids must be non-empty and free of newlines');
  }
}
