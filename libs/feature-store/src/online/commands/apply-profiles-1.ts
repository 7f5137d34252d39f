/**
 * `apply-profiles` (1 key). Applies one topic-partition's user or item profiles in offset
 * order, exactly once (offsets at or below the partition's high-water offset are skipped), and
 * never lets an older profile (smaller `updated_at_ms`) replace a newer one. Optionally records
 * ids seen for the first time in a "newest" sorted set capped at a size.
 *
 * KEYS[1]  hash of high-water offsets (`<prefix>hwm`), field ARGV[1].
 * ARGV[1]  high-water field: `<kind>|<topic>|<partition>`.
 * ARGV[2]  profile key prefix, e.g. `<prefix>item:` (one Redis node, not cluster-safe).
 * ARGV[3]  key of the newest-ids zset, or '' to keep none (user profiles).
 * ARGV[4]  cap of that zset (members kept; the lowest scores are trimmed).
 * ARGV[5..] groups of 4: offset, id, updated_at_ms, profile JSON.
 *
 * Keys written: `<ARGV[2]><id>` (hash: `json`, `updated_at_ms`); ARGV[3] (zset id → the
 * `updated_at_ms` of the first profile seen, added only when no profile hash existed yet, so a
 * replay, a late older version or an update of a trimmed old id never re-enters it as new).
 * Returns the number of profiles stored.
 */
export const APPLY_PROFILES_LUA = `
local hwmKey = KEYS[1]
local hwmField = ARGV[1]
local keyPrefix = ARGV[2]
local newestKey = ARGV[3]
local newestCap = tonumber(ARGV[4])
local hwm = tonumber(redis.call('HGET', hwmKey, hwmField) or '-1')
local stored = 0
local advanced = false
local added = false
for i = 5, #ARGV, 4 do
  local offset = tonumber(ARGV[i])
  if offset > hwm then
    local key = keyPrefix .. ARGV[i + 1]
    local updated = tonumber(ARGV[i + 2])
    local current = tonumber(redis.call('HGET', key, 'updated_at_ms') or '-1')
    if current == -1 and newestKey ~= '' then
      redis.call('ZADD', newestKey, 'NX', ARGV[i + 2], ARGV[i + 1])
      added = true
    end
    if updated >= current then
      redis.call('HSET', key, 'json', ARGV[i + 3], 'updated_at_ms', ARGV[i + 2])
      stored = stored + 1
    end
    hwm = offset
    advanced = true
  end
end
if added then
  redis.call('ZREMRANGEBYRANK', newestKey, 0, -newestCap - 1)
end
if advanced then
  redis.call('HSET', hwmKey, hwmField, string.format('%d', hwm))
end
return stored
`;
