-- upsert-alias: points an alias at a version, recording the event that moved it.
-- $1 model id (bigint), $2 alias (text), $3 version (int), $4 event id (bigint), $5 at (timestamptz)
-- returns: nothing
INSERT INTO registry_aliases (model_id, alias, version, last_event_id, updated_at)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (model_id, alias) DO UPDATE
SET version = EXCLUDED.version, last_event_id = EXCLUDED.last_event_id, updated_at = EXCLUDED.updated_at;
