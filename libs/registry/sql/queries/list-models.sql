-- list-models: one page of models by name, each with its version count and newest version number.
-- $1 cursor: only names after it (text, nullable), $2 page size (int)
-- returns: rows (name, description, created_at, created_by, version_count, latest_version)
SELECT m.name, m.description, m.created_at, m.created_by,
       count(v.version)::integer AS version_count,
       max(v.version) AS latest_version
FROM registry_models m
LEFT JOIN registry_versions v ON v.model_id = m.id
WHERE $1::text IS NULL OR m.name > $1
GROUP BY m.id
ORDER BY m.name
LIMIT $2;
