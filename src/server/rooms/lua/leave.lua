-- ARGV: prefix, room, peer, owner node ('' for any). Reply: 1 if removed, else 0.
local room, peer, owner = ARGV[2], ARGV[3], ARGV[4]
if redis.call('ZSCORE', roomKey(room, 'order'), peer) == false then return 0 end
if owner ~= '' and redis.call('HGET', roomKey(room, 'nodes'), peer) ~= owner then return 0 end
drop(room, peer)
return 1
