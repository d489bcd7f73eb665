-- ARGV: prefix, room. Reply (JSON): each member ({peerId, name}) in join order.
local room = ARGV[2]
local reply = {}
for _, id in ipairs(redis.call('ZRANGE', roomKey(room, 'order'), 0, -1)) do
  reply[#reply + 1] = { peerId = id, name = redis.call('HGET', roomKey(room, 'names'), id) }
end
return cjson.encode(reply)
