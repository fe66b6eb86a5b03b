import { FAIR_ROUND, FAIR_ROUNDS } from './store.ts';

/**
 * The queue's Lua scripts. Every mutation is one script, so it is atomic on one Redis and, because
 * all of a guild's keys share the `{guildId}` hash tag, on Redis Cluster too. KEYS are always the
 * guild's keys in the order of `guildKeys()` (redis-scripts.ts); ARGV[1] of every mutating script is
 * the time-to-live in seconds, refreshed on all of the guild's keys by `touch()`.
 *
 * Order: the queue is a sorted set whose score is `-votes * 2^32 + seq` (seq: the guild's add
 * counter), so the lowest score plays first: more votes first, then first come first served.
 * A vote moves an item by whole 2^32 steps; /move and /shuffle permute the existing scores, so
 * scores stay distinct and a DJ's arrangement is kept while later votes still move items.
 * A guild in `fair` order replaces seq with a round-robin tie-break (ADD below; store.ts fairTieBreak).
 */

const PRELUDE = `
local K_QUEUE, K_ITEMS, K_VOTES, K_VOTERS, K_PLAYING, K_HISTORY = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local K_SEQ, K_STATS, K_REQUESTERS, K_TRACKS, K_TRACKNAMES, K_PERUSER, K_MSGS = KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12], KEYS[13]
local STEP = 4294967296
local function touch()
  local ttl = ARGV[1]
  for i = 1, #KEYS do redis.call('EXPIRE', KEYS[i], ttl) end
end
local function rank(id)
  local r = redis.call('ZRANK', K_QUEUE, id)
  if r then return r + 1 end
  return nil
end
local function forget_voters(id)
  local cursor = '0'
  repeat
    local res = redis.call('HSCAN', K_VOTERS, cursor, 'MATCH', id .. ':*', 'COUNT', 1000)
    cursor = res[1]
    local fields = res[2]
    for i = 1, #fields, 2 do redis.call('HDEL', K_VOTERS, fields[i]) end
  until cursor == '0'
end
local function requester_left(json)
  local ok, item = pcall(cjson.decode, json)
  if ok and type(item.requestedBy) == 'string' then
    local left = redis.call('HINCRBY', K_PERUSER, item.requestedBy, -1)
    if left <= 0 then redis.call('HDEL', K_PERUSER, item.requestedBy) end
  end
end
`;

const script = (body: string) => `${PRELUDE}\n${body}`;

/**
 * ARGV: ttl, id, itemJson, userId, maxLength, maxPerUser, order ('votes' | 'fair') -> {'OK', position} | {reason}
 * In 'fair' order the score is the requester's round (songs they already have queued) times
 * FAIR_ROUND plus the add counter modulo FAIR_ROUND (store.ts fairTieBreak, the same in memory).
 */
export const ADD = script(`
if redis.call('ZCARD', K_QUEUE) >= tonumber(ARGV[5]) then return {'QUEUE_FULL'} end
local held = tonumber(redis.call('HGET', K_PERUSER, ARGV[4]) or '0')
if held >= tonumber(ARGV[6]) then return {'USER_QUEUE_LIMIT'} end
local seq = redis.call('INCR', K_SEQ)
local score = seq
if ARGV[7] == 'fair' then
  score = math.min(held, ${FAIR_ROUNDS - 1}) * ${FAIR_ROUND} + (seq % ${FAIR_ROUND})
end
redis.call('HSET', K_ITEMS, ARGV[2], ARGV[3])
redis.call('HSET', K_VOTES, ARGV[2], 0)
redis.call('ZADD', K_QUEUE, score, ARGV[2])
redis.call('HINCRBY', K_PERUSER, ARGV[4], 1)
redis.call('HINCRBY', K_STATS, 'added', 1)
redis.call('ZINCRBY', K_REQUESTERS, 1, ARGV[4])
touch()
return {'OK', rank(ARGV[2])}
`);

/** ARGV: ttl, id, userId, direction (1|-1|0 = withdraw) -> {'OK', votes, before, after, json} | {reason, ...} */
export const VOTE = script(`
local id, field, dir = ARGV[2], ARGV[2] .. ':' .. ARGV[3], tonumber(ARGV[4])
local before = rank(id)
if not before then return {'ITEM_NOT_FOUND'} end
local prev = tonumber(redis.call('HGET', K_VOTERS, field) or '0')
if dir == 0 and prev == 0 then return {'NOT_VOTED'} end
if dir ~= 0 and prev == dir then
  return {'ALREADY_VOTED', tonumber(redis.call('HGET', K_VOTES, id) or '0'), before}
end
local delta = dir - prev
if dir == 0 then redis.call('HDEL', K_VOTERS, field) else redis.call('HSET', K_VOTERS, field, dir) end
local votes = redis.call('HINCRBY', K_VOTES, id, delta)
redis.call('ZINCRBY', K_QUEUE, string.format('%.0f', -delta * STEP), id)
redis.call('HINCRBY', K_STATS, 'votes', 1)
touch()
return {'OK', votes, before, rank(id), redis.call('HGET', K_ITEMS, id) or ''}
`);

/** ARGV: offset, limit -> {total, playingId, playingJson, playingVotes, playingStartedAt, id, json, votes, ...} */
export const LIST = script(`
local offset, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local out = {redis.call('ZCARD', K_QUEUE)}
local pid = redis.call('HGET', K_PLAYING, 'id')
if pid then
  out[2] = pid
  out[3] = redis.call('HGET', K_ITEMS, pid) or ''
  out[4] = redis.call('HGET', K_VOTES, pid) or '0'
  out[5] = redis.call('HGET', K_PLAYING, 'startedAt') or ''
else
  out[2], out[3], out[4], out[5] = '', '', '0', ''
end
if limit > 0 then
  local ids = redis.call('ZRANGE', K_QUEUE, offset, offset + limit - 1)
  for _, id in ipairs(ids) do
    out[#out + 1] = id
    out[#out + 1] = redis.call('HGET', K_ITEMS, id) or ''
    out[#out + 1] = redis.call('HGET', K_VOTES, id) or '0'
  end
end
return out
`);

/** ARGV: id -> {'queued', json, votes, position} | {'playing', json, votes, startedAt} | {} */
export const GET = script(`
local id = ARGV[1]
local pos = rank(id)
if pos then return {'queued', redis.call('HGET', K_ITEMS, id) or '', redis.call('HGET', K_VOTES, id) or '0', pos} end
if redis.call('HGET', K_PLAYING, 'id') == id then
  return {'playing', redis.call('HGET', K_ITEMS, id) or '', redis.call('HGET', K_VOTES, id) or '0', redis.call('HGET', K_PLAYING, 'startedAt') or ''}
end
return {}
`);

/** ARGV: ttl, id -> {json, votes, position} | {} */
export const REMOVE = script(`
local id = ARGV[2]
local pos = rank(id)
if not pos then return {} end
local json = redis.call('HGET', K_ITEMS, id) or ''
local votes = redis.call('HGET', K_VOTES, id) or '0'
redis.call('ZREM', K_QUEUE, id)
redis.call('HDEL', K_ITEMS, id)
redis.call('HDEL', K_VOTES, id)
forget_voters(id)
requester_left(json)
redis.call('HINCRBY', K_STATS, 'removed', 1)
touch()
return {json, votes, pos}
`);

/** ARGV: ttl -> count */
export const CLEAR = script(`
local ids = redis.call('ZRANGE', K_QUEUE, 0, -1)
for _, id in ipairs(ids) do
  redis.call('HDEL', K_ITEMS, id)
  redis.call('HDEL', K_VOTES, id)
end
redis.call('DEL', K_QUEUE, K_VOTERS, K_PERUSER)
redis.call('HINCRBY', K_STATS, 'removed', #ids)
touch()
return #ids
`);

/** ARGV: ttl, id, position (1-based) -> {from, to} | {} */
export const MOVE = script(`
local id = ARGV[2]
local from = rank(id)
if not from then return {} end
local n = redis.call('ZCARD', K_QUEUE)
local to = math.max(1, math.min(tonumber(ARGV[3]), n))
if to ~= from then
  local lo, hi = math.min(from, to), math.max(from, to)
  local span = redis.call('ZRANGE', K_QUEUE, lo - 1, hi - 1, 'WITHSCORES')
  local ids, scores = {}, {}
  for i = 1, #span, 2 do ids[#ids + 1] = span[i]; scores[#scores + 1] = span[i + 1] end
  local order = {}
  if to < from then
    order[1] = ids[#ids]
    for i = 1, #ids - 1 do order[i + 1] = ids[i] end
  else
    for i = 2, #ids do order[i - 1] = ids[i] end
    order[#ids] = ids[1]
  end
  for i = 1, #order do redis.call('ZADD', K_QUEUE, scores[i], order[i]) end
end
touch()
return {from, to}
`);

/** ARGV: ttl, seed -> count */
export const SHUFFLE = script(`
local all = redis.call('ZRANGE', K_QUEUE, 0, -1, 'WITHSCORES')
local ids, scores = {}, {}
for i = 1, #all, 2 do ids[#ids + 1] = all[i]; scores[#scores + 1] = all[i + 1] end
math.randomseed(tonumber(ARGV[2]))
for i = #ids, 2, -1 do
  local j = math.random(i)
  ids[i], ids[j] = ids[j], ids[i]
end
for i = 1, #ids do redis.call('ZADD', K_QUEUE, scores[i], ids[i]) end
touch()
return #ids
`);

/** ARGV: ttl, id ('' = next), now -> {'OK', id, json, votes} | {reason} */
export const START = script(`
if redis.call('HGET', K_PLAYING, 'id') then return {'ALREADY_PLAYING'} end
local id = ARGV[2]
if id == '' then
  local first = redis.call('ZRANGE', K_QUEUE, 0, 0)
  if #first == 0 then return {'QUEUE_EMPTY'} end
  id = first[1]
elseif not redis.call('ZSCORE', K_QUEUE, id) then
  return {'ITEM_NOT_FOUND'}
end
local json = redis.call('HGET', K_ITEMS, id) or ''
redis.call('ZREM', K_QUEUE, id)
redis.call('HSET', K_PLAYING, 'id', id, 'startedAt', ARGV[3])
forget_voters(id)
requester_left(json)
touch()
return {'OK', id, json, redis.call('HGET', K_VOTES, id) or '0'}
`);

/** ARGV: ttl, status, now, playedMs ('' = the track's duration), historyLimit -> historyJson | false */
export const FINISH = script(`
local id = redis.call('HGET', K_PLAYING, 'id')
if not id then return false end
local status, now = ARGV[2], ARGV[3]
local json = redis.call('HGET', K_ITEMS, id) or ''
local votes = redis.call('HGET', K_VOTES, id) or '0'
local started = redis.call('HGET', K_PLAYING, 'startedAt') or now
local entry = string.sub(json, 1, -2) .. ',"status":"' .. status .. '","votes":' .. votes ..
  ',"startedAt":"' .. started .. '","endedAt":"' .. now .. '"}'
redis.call('LPUSH', K_HISTORY, entry)
redis.call('LTRIM', K_HISTORY, 0, tonumber(ARGV[5]) - 1)
redis.call('HDEL', K_ITEMS, id)
redis.call('HDEL', K_VOTES, id)
redis.call('DEL', K_PLAYING)
redis.call('HINCRBY', K_STATS, status, 1)
if status == 'played' then
  local ok, item = pcall(cjson.decode, json)
  if ok and type(item.track) == 'table' then
    local ms = tonumber(ARGV[4])
    if not ms then ms = type(item.track.durationMs) == 'number' and item.track.durationMs or 0 end
    redis.call('HINCRBY', K_STATS, 'playedMs', math.floor(ms))
    local key = tostring(item.track.provider) .. ':' .. tostring(item.track.id)
    redis.call('ZINCRBY', K_TRACKS, 1, key)
    local artist = type(item.track.artist) == 'string' and item.track.artist or cjson.null
    redis.call('HSET', K_TRACKNAMES, key, cjson.encode({title = item.track.title, artist = artist, provider = item.track.provider}))
  end
end
touch()
return entry
`);

/** ARGV: ttl, messageId, itemId */
export const LINK_MESSAGE = script(`
redis.call('HSET', K_MSGS, ARGV[2], ARGV[3])
touch()
return 1
`);
