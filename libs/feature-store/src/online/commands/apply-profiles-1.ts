/**
 * `apply-profiles` (1 key). Applies one topic-partition's user or item profiles in offset
 * order, exactly once (offsets at or below the partition's high-water offset are skipped), and
 * never lets an older profile (smaller `updated_at_ms`) replace a newer one.
 *
 * KEYS[1]  hash of high-water offsets (`<prefix>hwm`), field ARGV[1].
 * ARGV[1]  high-water field: `<kind>|<topic>|<partition>`.
 * ARGV[2]  profile key prefix, e.g. `<prefix>user:` (one Redis node, not cluster-safe).
 * ARGV[3..] groups of 4: offset, id, updated_at_ms, profile JSON.
 *
 * Keys written: `<ARGV[2]><id>` (hash: `json`, `updated_at_ms`).
 * Returns the number of profiles stored.
 */
export const APPLY_PROFILES_LUA = `
local hwmKey = KEYS[1]
local hwmField = ARGV[1]
local keyPrefix = ARGV[2]
local hwm = tonumber(redis.call('HGET', hwmKey, hwmField) or '-1')
local stored = 0
local advanced = false
for i = 3, #ARGV, 4 do
  local offset = tonumber(ARGV[i])
  if offset > hwm then
    local key = keyPrefix .. ARGV[i + 1]
    local updated = tonumber(ARGV[i + 2])
    local current = tonumber(redis.call('HGET', key, 'updated_at_ms') or '-1')
    if updated >= current then
      redis.call('HSET', key, 'json', ARGV[i + 3], 'updated_at_ms', ARGV[i + 2])
      stored = stored + 1
    end
    hwm = offset
    advanced = true
  end
end
if advanced then
  redis.call('HSET', hwmKey, hwmField, string.format('%d', hwm))
end
return stored
`;
