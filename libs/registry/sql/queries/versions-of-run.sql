-- versions-of-run: the model versions registered from a run (their manifest's lineage names it).
-- $1 run id (text)
-- returns: rows (model, version, archived_at)
SELECT m.name AS model, v.version, v.archived_at
FROM registry_versions v
JOIN registry_models m ON m.id = v.model_id
WHERE v.manifest -> 'lineage' ->> 'trainingRunId' = $1
ORDER BY m.name, v.version;
