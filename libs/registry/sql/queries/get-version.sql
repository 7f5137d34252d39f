-- get-version: one version of a model, with its manifest.
-- $1 model name (text), $2 version (int)
-- returns: 0 or 1 row (version columns)
SELECT m.name AS model, v.version, v.content_sha256, v.manifest, v.schema_fingerprint, v.evaluation_set_id,
       v.created_at, v.created_by, v.archived_at, v.archived_by, v.archive_reason,
       v.description, v.tags, v.meta_updated_at, v.meta_updated_by
FROM registry_versions v
JOIN registry_models m ON m.id = v.model_id
WHERE m.name = $1 AND v.version = $2;
