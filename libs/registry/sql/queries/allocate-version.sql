-- allocate-version: hands out the model's next version number under its row lock.
-- $1 model id (bigint)
-- returns: 1 row (version)
UPDATE registry_models SET next_version = next_version + 1
WHERE id = $1
RETURNING next_version - 1 AS version;
