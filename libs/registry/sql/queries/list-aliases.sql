-- list-aliases: every alias of a model.
-- $1 model name (text)
-- returns: rows (model, alias, version, last_event_id, updated_at)
SELECT m.name AS model, a.alias, a.version, a.last_event_id, a.updated_at
FROM registry_aliases a
JOIN registry_models m ON m.id = a.model_id
WHERE m.name = $1
ORDER BY a.alias;
