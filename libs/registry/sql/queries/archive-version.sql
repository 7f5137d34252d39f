-- archive-version: marks a version archived (kept, readable, no longer aliasable), with its reason.
-- $1 model id (bigint), $2 version (int), $3 actor (text), $4 reason (text, may be '')
-- returns: 0 rows when already archived, else 1 row (archived_at)
UPDATE registry_versions SET archived_at = clock_timestamp(), archived_by = $3, archive_reason = $4
WHERE model_id = $1 AND version = $2 AND archived_at IS NULL
RETURNING archived_at;
