-- ARGV: prefix. Reply (JSON): each member removed ({room, peerId}) because its node's heartbeat is gone.
local removed = {}
for _, node in ipairs(redis.call('SMEMBERS', nodesKey)) do
  if redis.call('EXISTS', beatKey(node)) == 0 then
    for _, entry in ipairs(redis.call('SMEMBERS', heldKey(node))) do
      local cut = string.find(entry, SEP, 1, true)
      local room, peer = string.sub(entry, 1, cut - 1), string.sub(entry, cut + 1)
      if redis.call('HGET', roomKey(room, 'nodes'), peer) == node then
        drop(room, peer)
        removed[#removed + 1] = { room = room, peerId = peer }
      end
    end
    redis.call('DEL', heldKey(node))
    redis.call('SREM', nodesKey, node)
  end
end
return cjson.encode(removed)
