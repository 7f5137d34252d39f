-- insert-version: records an immutable version (the trigger forbids later changes).
-- $1 model id (bigint), $2 version (int), $3 content sha256 (text), $4 manifest (jsonb),
-- $5 schema fingerprint (text), $6 evaluation set id (text, nullable), $7 actor (text)
-- returns: 1 row (created_at)
INSERT INTO registry_versions (model_id, version, content_sha256, manifest, schema_fingerprint, evaluation_set_id, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING created_at;
