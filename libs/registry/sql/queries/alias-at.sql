-- alias-at: the move in force at time T (the last one at or before it).
-- $1 model name (text), $2 alias (text), $3 time (timestamptz)
-- returns: 0 or 1 row (event columns as in alias-history)
SELECT e.id, m.name AS model, e.alias, e.from_version, e.to_version, e.kind, e.actor, e.reason, e.gate, e.at
FROM registry_alias_events e
JOIN registry_models m ON m.id = e.model_id
WHERE m.name = $1 AND e.alias = $2 AND e.at <= $3
ORDER BY e.id DESC
LIMIT 1;
