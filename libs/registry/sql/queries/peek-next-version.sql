-- peek-next-version: the number the next registration would get (caller holds the row lock).
-- $1 model id (bigint)
-- returns: 1 row (next_version)
SELECT next_version FROM registry_models WHERE id = $1;
