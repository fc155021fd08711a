"""The Lua scripts of Redis presence (redis_presence.py): each change in one atomic step.

Each takes the key prefix as its first argument and builds its keys from it, so the keys
are not declared: one Redis (or a Sentinel pair) serves, not a Cluster.
"""

JOIN = """
local p, room, sid, key, color, limit, host, alive, handle, name = unpack(ARGV)
local since = p .. 'room:' .. room .. ':since'
local first = redis.call('ZSCORE', since, key) == false
if first then
  if limit ~= '' and redis.call('ZCARD', since) >= tonumber(limit) then return -1 end
  redis.call('ZADD', since, redis.call('INCR', p .. 'joins'), key)
  redis.call('HSET', p .. 'room:' .. room .. ':colors', key, color)
  redis.call('SADD', p .. 'user:' .. key .. ':rooms', room)
end
-- A tab that joins brings the latest handle and name.
redis.call('HSET', p .. 'room:' .. room .. ':handles', key, handle)
redis.call('HSET', p .. 'room:' .. room .. ':names', key, name)
redis.call('SADD', p .. 'room:' .. room .. ':sids:' .. key, sid)
redis.call('HSET', p .. 'sid:' .. sid, 'room', room, 'key', key, 'host', host)
redis.call('SADD', p .. 'host:' .. host .. ':sids', sid)
redis.call('SADD', p .. 'hosts', host)
-- A process that holds sockets but never beats (no watch loop) is taken for dead.
redis.call('SET', p .. 'host:' .. host .. ':alive', 1, 'EX', alive, 'NX')
if first then return 1 end
return 0
"""

LEAVE = """
local p, sid = ARGV[1], ARGV[2]
local place = redis.call('HMGET', p .. 'sid:' .. sid, 'room', 'key', 'host')
local room, key, host = place[1], place[2], place[3]
if not room then return false end
redis.call('DEL', p .. 'sid:' .. sid)
redis.call('SREM', p .. 'host:' .. host .. ':sids', sid)
local sids = p .. 'room:' .. room .. ':sids:' .. key
redis.call('SREM', sids, sid)
local color = redis.call('HGET', p .. 'room:' .. room .. ':colors', key) or ''
local last_tab = 0
if redis.call('SCARD', sids) == 0 then last_tab = 1 end
return {room, key, color, last_tab}
"""

DROP = """
local p, room, key = ARGV[1], ARGV[2], ARGV[3]
local since = p .. 'room:' .. room .. ':since'
local colors = p .. 'room:' .. room .. ':colors'
if redis.call('ZSCORE', since, key) == false then return false end
if redis.call('SCARD', p .. 'room:' .. room .. ':sids:' .. key) > 0 then return false end
local color = redis.call('HGET', colors, key) or ''
redis.call('ZREM', since, key)
redis.call('HDEL', colors, key)
redis.call('HDEL', p .. 'room:' .. room .. ':handles', key)
redis.call('HDEL', p .. 'room:' .. room .. ':names', key)
redis.call('SREM', p .. 'user:' .. key .. ':rooms', room)
return color
"""

FORGET = """
local p, room = ARGV[1], ARGV[2]
local since = p .. 'room:' .. room .. ':since'
local gone = {}
for _, key in ipairs(redis.call('ZRANGE', since, 0, -1)) do
  local sids = p .. 'room:' .. room .. ':sids:' .. key
  for _, sid in ipairs(redis.call('SMEMBERS', sids)) do
    local host = redis.call('HGET', p .. 'sid:' .. sid, 'host')
    if host then redis.call('SREM', p .. 'host:' .. host .. ':sids', sid) end
    redis.call('DEL', p .. 'sid:' .. sid)
    table.insert(gone, sid)
  end
  redis.call('DEL', sids)
  redis.call('SREM', p .. 'user:' .. key .. ':rooms', room)
end
local r = p .. 'room:' .. room
redis.call('DEL', since, r .. ':colors', r .. ':handles', r .. ':names')
return gone
"""
