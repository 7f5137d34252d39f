-- insert-model: creates a model; no row back when the name is taken.
-- $1 name (text), $2 description (text), $3 actor (text)
-- returns: 0 or 1 row (name, description, created_at, created_by)
INSERT INTO registry_models (name, description, created_by)
VALUES ($1, $2, $3)
ON CONFLICT (name) DO NOTHING
RETURNING name, description, created_at, created_by;
