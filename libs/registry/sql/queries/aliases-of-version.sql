-- aliases-of-version: aliases currently pointing at a version.
-- $1 model id (bigint), $2 version (int)
-- returns: rows (alias)
SELECT alias FROM registry_aliases WHERE model_id = $1 AND version = $2 ORDER BY alias;
