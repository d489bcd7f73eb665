-- Shared by every script: key names and the helpers that keep them consistent. ARGV[1] is always the
-- key prefix. Loaded in front of each script (redis-scripts.ts), so each is one self-contained EVAL.
local prefix = ARGV[1]
-- Room names are UTF-8 (周会 is 6 bytes here: Lua strings and # count bytes). They never contain ':' or
-- '\n', and neither byte occurs inside a multi-byte UTF-8 character, so keys and SEP splits stay exact.
local SEP = '\n'
local roomsKey = prefix .. 'rooms'
local nodesKey = prefix .. 'nodes'
local function roomKey(room, part) return prefix .. 'room:' .. room .. ':' .. part end
local function beatKey(node) return prefix .. 'node:' .. node end
local function heldKey(node) return prefix .. 'node:' .. node .. ':members' end
-- Which room a peer id is in: one at most, so a join elsewhere moves it.
local function peerKey(peer) return prefix .. 'peer:' .. peer end

local function release(node, room, peer)
  redis.call('SREM', heldKey(node), room .. SEP .. peer)
  if redis.call('EXISTS', heldKey(node)) == 0 then redis.call('SREM', nodesKey, node) end
end

local function hold(node, room, peer)
  redis.call('HSET', roomKey(room, 'nodes'), peer, node)
  redis.call('SADD', heldKey(node), room .. SEP .. peer)
  redis.call('SADD', nodesKey, node)
end

-- Removes a member everywhere; a room left empty disappears (Redis deletes empty keys), leaves 'rooms' and
-- forgets its lock.
local function drop(room, peer)
  local node = redis.call('HGET', roomKey(room, 'nodes'), peer)
  redis.call('ZREM', roomKey(room, 'order'), peer)
  redis.call('HDEL', roomKey(room, 'names'), peer)
  redis.call('HDEL', roomKey(room, 'nodes'), peer)
  if redis.call('EXISTS', roomKey(room, 'order')) == 0 then
    redis.call('SREM', roomsKey, room)
    redis.call('DEL', roomKey(room, 'lock'))
  end
  if redis.call('GET', peerKey(peer)) == room then redis.call('DEL', peerKey(peer)) end
  if node then release(node, room, peer) end
end
