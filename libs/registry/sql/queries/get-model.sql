-- get-model: one model with its version count and newest version number.
-- $1 name (text)
-- returns: 0 or 1 row (name, description, created_at, created_by, version_count, latest_version)
SELECT m.name, m.description, m.created_at, m.created_by,
       count(v.version)::integer AS version_count,
       max(v.version) AS latest_version
FROM registry_models m
LEFT JOIN registry_versions v ON v.model_id = m.id
WHERE m.name = $1
GROUP BY m.id;
