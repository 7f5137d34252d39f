-- migrations-lock: session advisory lock serializing migrations of one schema across replicas.
-- $1 schema to be created (text, nullable: then the current schema)
-- returns: 1 row
SELECT pg_advisory_lock(hashtext('metarec-registry-migrate:' || coalesce($1::text, current_schema())));
