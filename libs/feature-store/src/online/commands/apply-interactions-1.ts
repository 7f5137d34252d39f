/**
 * `apply-interactions` (1 key). Applies one topic-partition's interactions in offset order,
 * exactly once: events at or below the partition's high-water offset were applied before (a
 * replay after a crash or a rebalance) and are skipped, so counters never double.
 *
 * KEYS[1]  hash of high-water offsets (`<prefix>hwm`), field ARGV[1].
 * ARGV[1]  high-water field: `<kind>|<topic>|<partition>`.
 * ARGV[2]  key prefix (keys below are built from it: one Redis node, not cluster-safe).
 * ARGV[3]  recent-interactions cap per user (N).
 * ARGV[4]  co-occurrence window: how many of the user's latest distinct items pair with a new one.
 * ARGV[5]  popularity bucket length, ms.
 * ARGV[6]  popularity window, ms (a bucket expires once no window can include it).
 * ARGV[7..] groups of 5: offset, user_id, item_id, timestamp_ms, member (the event's JSON).
 *
 * Keys written: `<prefix>recent:<user>` (zset member→timestamp, newest N kept),
 * `<prefix>ritems:<user>` (zset item→latest timestamp, newest `window` kept),
 * `<prefix>co:<item>` (zset item→count), `<prefix>pop:<bucketStartMs>` (zset item→count).
 * Returns the number of events applied (the rest were at or below the high-water offset).
 */
export const APPLY_INTERACTIONS_LUA = `
local hwmKey = KEYS[1]
local hwmField = ARGV[1]
local prefix = ARGV[2]
local recentMax = tonumber(ARGV[3])
local coWindow = tonumber(ARGV[4])
local bucketMs = tonumber(ARGV[5])
local windowMs = tonumber(ARGV[6])
local hwm = tonumber(redis.call('HGET', hwmKey, hwmField) or '-1')
local applied = 0
for i = 7, #ARGV, 5 do
  local offset = tonumber(ARGV[i])
  if offset > hwm then
    local user = ARGV[i + 1]
    local item = ARGV[i + 2]
    local ts = tonumber(ARGV[i + 3])
    local recentKey = prefix .. 'recent:' .. user
    redis.call('ZADD', recentKey, ts, ARGV[i + 4])
    redis.call('ZREMRANGEBYRANK', recentKey, 0, -recentMax - 1)
    local itemsKey = prefix .. 'ritems:' .. user
    if coWindow > 0 then
      local previous = redis.call('ZREVRANGE', itemsKey, 0, coWindow - 1)
      for _, other in ipairs(previous) do
        if other ~= item then
          redis.call('ZINCRBY', prefix .. 'co:' .. item, 1, other)
          redis.call('ZINCRBY', prefix .. 'co:' .. other, 1, item)
        end
      end
      redis.call('ZADD', itemsKey, 'GT', ts, item)
      redis.call('ZREMRANGEBYRANK', itemsKey, 0, -coWindow - 1)
    end
    local bucket = ts - (ts % bucketMs)
    local popKey = prefix .. 'pop:' .. bucket
    redis.call('ZINCRBY', popKey, 1, item)
    redis.call('PEXPIREAT', popKey, bucket + bucketMs + windowMs)
    hwm = offset
    applied = applied + 1
  end
end
if applied > 0 then
  redis.call('HSET', hwmKey, hwmField, string.format('%d', hwm))
end
return applied
`;
