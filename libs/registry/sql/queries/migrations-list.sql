-- migrations-list: applied migrations with the sha256 of the file as applied.
-- no parameters
-- returns: rows (id, sha256)
SELECT id, sha256 FROM registry_schema_migrations ORDER BY id;
