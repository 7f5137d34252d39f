-- list-versions: one page of a model's versions, newest first, with their manifests.
-- $1 model name (text), $2 cursor: only versions below it (int, nullable), $3 page size (int)
-- returns: rows (version columns)
SELECT m.name AS model, v.version, v.content_sha256, v.manifest, v.schema_fingerprint, v.evaluation_set_id,
       v.created_at, v.created_by, v.archived_at, v.archived_by, v.archive_reason,
       v.description, v.tags, v.meta_updated_at, v.meta_updated_by
FROM registry_versions v
JOIN registry_models m ON m.id = v.model_id
WHERE m.name = $1 AND ($2::int IS NULL OR v.version < $2)
ORDER BY v.version DESC
LIMIT $3;
