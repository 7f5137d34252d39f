-- migrations-record: records one applied migration.
-- $1 id (int), $2 name (text), $3 sha256 of the file (text)
-- returns: nothing
INSERT INTO registry_schema_migrations (id, name, sha256) VALUES ($1, $2, $3);
