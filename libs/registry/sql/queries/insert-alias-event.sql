-- insert-alias-event: appends one move to the audit log (caller holds the model's row lock).
-- $1 model id (bigint), $2 alias (text), $3 from version (int, nullable), $4 to version (int),
-- $5 kind ('set' | 'promote' | 'override' | 'rollback'), $6 actor (text), $7 reason (text), $8 gate (jsonb, nullable)
-- returns: 1 row (id, at)
INSERT INTO registry_alias_events (model_id, alias, from_version, to_version, kind, actor, reason, gate)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
RETURNING id, at;
