-- lock-model: takes the model's row lock for the rest of the transaction, so alias moves of one
-- model serialize (a concurrent promotion waits here and then sees the first one's result).
-- $1 name (text)
-- returns: 0 or 1 row (id)
SELECT id FROM registry_models WHERE name = $1 FOR UPDATE;
