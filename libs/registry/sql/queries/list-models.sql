-- list-models: every model with its version count and newest version number.
-- no parameters
-- returns: rows (name, description, created_at, created_by, version_count, latest_version)
SELECT m.name, m.description, m.created_at, m.created_by,
       count(v.version)::integer AS version_count,
       max(v.version) AS latest_version
FROM registry_models m
LEFT JOIN registry_versions v ON v.model_id = m.id
GROUP BY m.id
ORDER BY m.name;
