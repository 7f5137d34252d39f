-- migrations-create-table: the table recording applied migrations (idempotent).
-- no parameters
-- returns: nothing
CREATE TABLE IF NOT EXISTS registry_schema_migrations (
  id         integer PRIMARY KEY,
  name       text NOT NULL,
  sha256     text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
