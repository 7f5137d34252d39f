/**
 * `apply-interactions` (1 key). Applies one topic-partition's interactions in offset order,
 * exactly once: events at or below the partition's high-water offset were applied before (a
 * replay after a crash or a rebalance) and are skipped, so counters never double.
 *
 * The batch is folded in Lua memory first (a user's latest items loaded once, counters summed),
 * then written with one command per user, bucket and distinct item pair: the result is the same
 * as event-by-event application whatever the batch boundaries (sums commute; the latest-items
 * list is kept in arrival order, i.e. offset order, which has no ties), so a replay with other
 * batch cuts converges.
 *
 * KEYS[1]  hash of high-water offsets (`<prefix>hwm`), field ARGV[1].
 * ARGV[1]  high-water field: `<kind>|<topic>|<partition>`.
 * ARGV[2]  key prefix (keys below are built from it: one Redis node, not cluster-safe).
 * ARGV[3]  recent-interactions cap per user (N).
 * ARGV[4]  co-occurrence window: how many of the user's latest distinct items a new one counts as following.
 * ARGV[5]  popularity bucket length, ms.
 * ARGV[6]  popularity window, ms (a bucket expires once no window can include it).
 * ARGV[7..] groups of 5: offset, user_id, item_id, timestamp_ms, member (the event's JSON).
 *
 * Keys written: `<prefix>recent:<user>` (zset member→timestamp, newest N kept),
 * `<prefix>ritems:<user>` (string: the user's latest `window` distinct item ids, newest first,
 * newline-separated; ids hold no control characters; one GET and one SET per user and call),
 * `<prefix>co:<item>` (zset: items that followed <item> within a user's latest items → count;
 * directed, so one increment per pair, half the cost of symmetric counts; "what comes after
 * what the user just did" is the candidate signal serving wants),
 * `<prefix>pop:<bucketStartMs>` (zset item→count).
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
local users = {}
local userOrder = {}
local pop = {}
local co = {}
local applied = 0

local function add(counts, key, member)
  local inner = counts[key]
  if inner == nil then
    inner = {}
    counts[key] = inner
  end
  inner[member] = (inner[member] or 0) + 1
end

for i = 7, #ARGV, 5 do
  local offset = tonumber(ARGV[i])
  if offset > hwm then
    local user = ARGV[i + 1]
    local item = ARGV[i + 2]
    local ts = tonumber(ARGV[i + 3])
    local u = users[user]
    if u == nil then
      local items = {}
      if coWindow > 0 then
        local stored = redis.call('GET', prefix .. 'ritems:' .. user)
        if stored then
          for id in string.gmatch(stored, '[^\\n]+') do
            items[#items + 1] = id
          end
        end
      end
      u = { items = items, recent = {} }
      users[user] = u
      userOrder[#userOrder + 1] = user
    end
    local recent = u.recent
    recent[#recent + 1] = ts
    recent[#recent + 1] = ARGV[i + 4]
    if coWindow > 0 then
      local kept = { item }
      for _, other in ipairs(u.items) do
        if other ~= item then
          add(co, other, item)
          if #kept < coWindow then
            kept[#kept + 1] = other
          end
        end
      end
      u.items = kept
    end
    add(pop, ts - (ts % bucketMs), item)
    hwm = offset
    applied = applied + 1
  end
end

for _, user in ipairs(userOrder) do
  local u = users[user]
  local recentKey = prefix .. 'recent:' .. user
  redis.call('ZADD', recentKey, unpack(u.recent))
  redis.call('ZREMRANGEBYRANK', recentKey, 0, -recentMax - 1)
  if coWindow > 0 then
    redis.call('SET', prefix .. 'ritems:' .. user, table.concat(u.items, '\\n'))
  end
end
for item, others in pairs(co) do
  local key = prefix .. 'co:' .. item
  for other, count in pairs(others) do
    redis.call('ZINCRBY', key, count, other)
  end
end
for bucket, items in pairs(pop) do
  local key = prefix .. 'pop:' .. string.format('%d', bucket)
  for item, count in pairs(items) do
    redis.call('ZINCRBY', key, count, item)
  end
  redis.call('PEXPIREAT', key, bucket + bucketMs + windowMs)
end
if applied > 0 then
  redis.call('HSET', hwmKey, hwmField, string.format('%d', hwm))
end
return applied
`;
