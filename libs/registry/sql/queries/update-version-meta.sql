-- update-version-meta: edits a version's mutable metadata (description, tags); content stays immutable.
-- $1 model name (text), $2 version (int), $3 description (text, null = keep), $4 tags to set (jsonb
-- object), $5 tag keys to remove (text[]), $6 actor (text)
-- returns: 0 rows when the version is unknown, else 1 row (version)
UPDATE registry_versions AS v
SET description = COALESCE($3, v.description),
    tags = (v.tags || $4::jsonb) - $5::text[],
    meta_updated_at = clock_timestamp(),
    meta_updated_by = $6
FROM registry_models m
WHERE m.id = v.model_id AND m.name = $1 AND v.version = $2
RETURNING v.version;
