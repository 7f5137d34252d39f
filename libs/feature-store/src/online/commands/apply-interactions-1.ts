/**
 * `apply-interactions` (1 key). Applies one chunk of a topic-partition's interactions, folded by
 * the caller (one group per user, one count per bucket and item), exactly once: a chunk wholly
 * at or below the partition's high-water offset was applied before (a replay after a crash or a
 * rebalance) and is skipped, so counters never double.
 *
 * A chunk is all or nothing, because its counts are pre-summed and cannot be split per event. A
 * chunk that straddles the high-water offset (a replay resuming mid-chunk), or that follows a
 * chunk of the same call not applied (`ARGV[8]` above the high-water offset), is refused with
 * {@link APPLY_INTERACTIONS_REFUSED}; the caller re-reads the high-water offset and resends the
 * events after it. The result is the same as event-by-event application whatever the chunk
 * boundaries (sums commute; the latest-interactions list is pushed in offset order, which is the
 * user's arrival order since interactions are keyed by user), so a replay with other cuts converges.
 *
 * KEYS[1]  hash of high-water offsets (`<prefix>hwm`), field ARGV[1].
 * ARGV[1]  high-water field: `<kind>|<topic>|<partition>`.
 * ARGV[2]  key prefix (keys below are built from it: one Redis node, not cluster-safe).
 * ARGV[3]  recent-interactions cap per user (N).
 * ARGV[4]  co-occurrence window: how many of the user's latest distinct items a new one counts as following.
 * ARGV[5]  popularity window, ms (a bucket expires once no window can include it).
 * ARGV[6]  first offset of the chunk.
 * ARGV[7]  last offset of the chunk (becomes the high-water offset).
 * ARGV[8]  last offset of the previous chunk of the same call, or -1 for the first chunk.
 * ARGV[9]  number of user groups U, then U groups: user id, event count k, k event JSONs in
 *          offset order, and when ARGV[4] > 0 the k item ids in the same order.
 * then     bucket length ms, number of buckets B, then B groups: bucket start ms, item count n,
 *          n pairs of item id, interactions.
 *
 * Keys written: `<prefix>recent-events:<user>` (list of event JSONs, newest first, N kept),
 * `<prefix>ritems:<user>` (string: the user's latest `window` distinct item ids, newest first,
 * newline-separated; ids hold no control characters; only when the window is on),
 * `<prefix>co:<item>` (zset: items that followed <item> within a user's latest items → count;
 * directed), `<prefix>pop:<bucketStartMs>` (zset item → count).
 * Returns the number of events applied (0 for a replayed chunk) or {@link APPLY_INTERACTIONS_REFUSED}.
 */
export const APPLY_INTERACTIONS_LUA = `
local hwmKey = KEYS[1]
local hwmField = ARGV[1]
local prefix = ARGV[2]
local recentMax = tonumber(ARGV[3])
local coWindow = tonumber(ARGV[4])
local windowMs = tonumber(ARGV[5])
local first = tonumber(ARGV[6])
local last = tonumber(ARGV[7])
local previous = tonumber(ARGV[8])
local hwm = tonumber(redis.call('HGET', hwmKey, hwmField) or '-1')
if hwm >= last then
  return 0
end
if hwm >= first or (previous >= 0 and hwm < previous) then
  return -1
end

local applied = 0
local co = {}
local i = 10
for _ = 1, tonumber(ARGV[9]) do
  local user = ARGV[i]
  local k = tonumber(ARGV[i + 1])
  local from = i + 2
  local key = prefix .. 'recent-events:' .. user
  redis.call('LPUSH', key, unpack(ARGV, from, from + k - 1))
  redis.call('LTRIM', key, 0, recentMax - 1)
  applied = applied + k
  i = from + k
  if coWindow > 0 then
    local itemsKey = prefix .. 'ritems:' .. user
    local items = {}
    local stored = redis.call('GET', itemsKey)
    if stored then
      for id in string.gmatch(stored, '[^\\n]+') do
        items[#items + 1] = id
      end
    end
    for j = i, i + k - 1 do
      local item = ARGV[j]
      local kept = { item }
      for _, other in ipairs(items) do
        if other ~= item then
          local inner = co[other]
          if inner == nil then
            inner = {}
            co[other] = inner
          end
          inner[item] = (inner[item] or 0) + 1
          if #kept < coWindow then
            kept[#kept + 1] = other
          end
        end
      end
      items = kept
    end
    redis.call('SET', itemsKey, table.concat(items, '\\n'))
    i = i + k
  end
end
for item, others in pairs(co) do
  local key = prefix .. 'co:' .. item
  for other, count in pairs(others) do
    redis.call('ZINCRBY', key, count, other)
  end
end

local bucketMs = tonumber(ARGV[i])
i = i + 2
for _ = 1, tonumber(ARGV[i - 1]) do
  local bucket = ARGV[i]
  local n = tonumber(ARGV[i + 1])
  local key = prefix .. 'pop:' .. bucket
  for j = i + 2, i + 2 * n, 2 do
    redis.call('ZINCRBY', key, ARGV[j + 1], ARGV[j])
  end
  redis.call('PEXPIREAT', key, tonumber(bucket) + bucketMs + windowMs)
  i = i + 2 + 2 * n
end
redis.call('HSET', hwmKey, hwmField, ARGV[7])
return applied
`;

/** Returned by the script for a chunk it did not apply (see the script's header): resend after the high-water offset. */
export const APPLY_INTERACTIONS_REFUSED = -1;
