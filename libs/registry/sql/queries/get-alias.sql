-- get-alias: where an alias points now.
-- $1 model name (text), $2 alias (text)
-- returns: 0 or 1 row (model, alias, version, last_event_id, updated_at)
SELECT m.name AS model, a.alias, a.version, a.last_event_id, a.updated_at
FROM registry_aliases a
JOIN registry_models m ON m.id = a.model_id
WHERE m.name = $1 AND a.alias = $2;
