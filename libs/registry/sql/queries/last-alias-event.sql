-- last-alias-event: the newest move of one alias (caller holds the model's row lock).
-- $1 model id (bigint), $2 alias (text)
-- returns: 0 or 1 row (id, from_version, to_version)
SELECT id, from_version, to_version FROM registry_alias_events
WHERE model_id = $1 AND alias = $2
ORDER BY id DESC
LIMIT 1;
