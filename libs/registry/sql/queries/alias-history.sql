-- alias-history: audit log of a model's alias moves, newest first; all aliases when $2 is null.
-- $1 model name (text), $2 alias (text, nullable), $3 limit (int), $4 cursor: only events with an
-- id below it (bigint, nullable)
-- returns: rows (id, model, alias, from_version, to_version, kind, actor, reason, gate, at)
SELECT e.id, m.name AS model, e.alias, e.from_version, e.to_version, e.kind, e.actor, e.reason, e.gate, e.at
FROM registry_alias_events e
JOIN registry_models m ON m.id = e.model_id
WHERE m.name = $1 AND ($2::text IS NULL OR e.alias = $2) AND ($4::bigint IS NULL OR e.id < $4)
ORDER BY e.id DESC
LIMIT $3;
