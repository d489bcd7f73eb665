-- ARGV: prefix, room, peer, name, node, capacity, heartbeat TTL (ms), the lock the joiner unlocks ('' for
-- an open room), the lock to open an empty room with ('' for none, '?' to not open it).
-- Reply (JSON): status ('joined' | 'resumed' | 'full' | 'absent' | 'locked'), created, the joiner's name as
-- registered, the others in join order ({peerId, name}), protected, the room's lock ('' for none), and the
-- peer ids of the members removed because their node is dead, and the room the joiner was moved out of
-- ('' for none).
local room, peer, name, node = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local capacity, ttl = tonumber(ARGV[6]), tonumber(ARGV[7])
local unlocks, opens = ARGV[8], ARGV[9]
local order = roomKey(room, 'order')
local lockKey = roomKey(room, 'lock')
-- The joining node is alive by definition; its heartbeat covers the member it is about to hold.
redis.call('SET', beatKey(node), '1', 'PX', ttl)

-- A resume is settled before the dead are cleared: a peer whose old node died but who reconnected through
-- this one keeps its place, and this node holds it from now on.
local resumed = redis.call('ZSCORE', order, peer) ~= false
if resumed then
  local previous = redis.call('HGET', roomKey(room, 'nodes'), peer)
  if previous ~= node then
    if previous then release(previous, room, peer) end
    hold(node, room, peer)
  end
end

local expired = {}
local alive = {}
for _, id in ipairs(redis.call('ZRANGE', order, 0, -1)) do
  local home = redis.call('HGET', roomKey(room, 'nodes'), id)
  if home and alive[home] == nil then alive[home] = redis.call('EXISTS', beatKey(home)) == 1 end
  if not (home and alive[home]) then
    drop(room, id)
    expired[#expired + 1] = id
  end
end

local status = 'resumed'
local movedFrom = ''
local count = redis.call('ZCARD', order)
if not resumed then
  -- The lock check and the insert below are one step: two people opening a room at once end with the
  -- first one's lock, and the second is told to prove it ('locked'), never let in past it.
  local current = redis.call('GET', lockKey) or ''
  if count == 0 and opens == '?' then
    status = 'absent'
  elseif count > 0 and current ~= unlocks then
    status = 'locked'
  elseif count >= capacity then
    status = 'full'
  else
    if count == 0 then
      if opens == '' then redis.call('DEL', lockKey) else redis.call('SET', lockKey, opens) end
    end
    local last = redis.call('ZRANGE', order, -1, -1, 'WITHSCORES')
    local seq = 1
    if last[2] then seq = tonumber(last[2]) + 1 end
    -- A peer id is in one room at most: joining this one takes it out of the one it was in.
    local previousRoom = redis.call('GET', peerKey(peer))
    if previousRoom and previousRoom ~= room and redis.call('ZSCORE', roomKey(previousRoom, 'order'), peer) then
      drop(previousRoom, peer)
      movedFrom = previousRoom
    end
    redis.call('SET', peerKey(peer), room)
    redis.call('ZADD', order, seq, peer)
    redis.call('HSET', roomKey(room, 'names'), peer, name)
    hold(node, room, peer)
    redis.call('SADD', roomsKey, room)
    status = 'joined'
  end
end

-- The lock goes back with every answer: the joining node verifies it when 'locked', and remembers it
-- otherwise, to put it back should Redis lose it (reassert.lua).
local reply = {
  status = status,
  created = status == 'joined' and count == 0,
  name = '',
  others = {},
  protected = redis.call('EXISTS', lockKey) == 1,
  lock = redis.call('GET', lockKey) or '',
  expired = expired,
  movedFrom = movedFrom,
}
if status == 'joined' or status == 'resumed' then
  reply.name = redis.call('HGET', roomKey(room, 'names'), peer)
  for _, id in ipairs(redis.call('ZRANGE', order, 0, -1)) do
    if id ~= peer then
      reply.others[#reply.others + 1] = { peerId = id, name = redis.call('HGET', roomKey(room, 'names'), id) }
    end
  end
end
return cjson.encode(reply)
