-- ARGV: prefix, node, heartbeat TTL (ms), then for each place the node holds: room, peer, name, lock ('' for
-- an open room). Reply (JSON): how many places were restored, and each member ({room, peerId}) Redis still
-- had the node hold that it no longer does (a leave lost while Redis was away), now removed.
--
-- Run when the node's connection to Redis comes back, or its heartbeat was found gone: Redis may have
-- restarted empty, and the node puts back what it knows to be true (the people connected to it) so that
-- capacity, locks and presence hold again. Capacity is not checked: these people are in the call already.
local node, ttl = ARGV[2], tonumber(ARGV[3])
redis.call('SET', beatKey(node), '1', 'PX', ttl)

local wanted = {}
for i = 4, #ARGV, 4 do wanted[ARGV[i] .. SEP .. ARGV[i + 1]] = true end

local stale = {}
for _, entry in ipairs(redis.call('SMEMBERS', heldKey(node))) do
  if not wanted[entry] then
    local cut = string.find(entry, SEP, 1, true)
    local room, peer = string.sub(entry, 1, cut - 1), string.sub(entry, cut + 1)
    if redis.call('HGET', roomKey(room, 'nodes'), peer) == node then
      drop(room, peer)
      stale[#stale + 1] = { room = room, peerId = peer }
    else
      release(node, room, peer)
    end
  end
end

local restored = 0
for i = 4, #ARGV, 4 do
  local room, peer, name, lock = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local order = roomKey(room, 'order')
  local home = redis.call('HGET', roomKey(room, 'nodes'), peer)
  -- A peer that another live node holds has moved there; its socket here is on its way out.
  if not home or home == node or redis.call('EXISTS', beatKey(home)) == 0 then
    if redis.call('ZSCORE', order, peer) == false then
      local last = redis.call('ZRANGE', order, -1, -1, 'WITHSCORES')
      local seq = 1
      if last[2] then seq = tonumber(last[2]) + 1 end
      redis.call('ZADD', order, seq, peer)
      redis.call('HSET', roomKey(room, 'names'), peer, name)
      restored = restored + 1
    end
    if home and home ~= node then release(home, room, peer) end
    hold(node, room, peer)
    redis.call('SET', peerKey(peer), room)
    redis.call('SADD', roomsKey, room)
    if lock ~= '' and redis.call('EXISTS', roomKey(room, 'lock')) == 0 then
      redis.call('SET', roomKey(room, 'lock'), lock)
    end
  end
end
return cjson.encode({ restored = restored, stale = stale })
