-- Migration 0001: models, immutable versions, aliases and their append-only audit log.
-- Applied by src/db/migrate.ts inside one transaction under an advisory lock; never edit an
-- applied migration (its sha256 is recorded and checked on every start), add a new file instead.
-- Tables are created in the connection's search_path, so each test file can use its own schema.

CREATE TABLE registry_models (
  id           bigserial PRIMARY KEY,
  name         text NOT NULL UNIQUE,
  description  text NOT NULL DEFAULT '',
  created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  created_by   text NOT NULL,
  -- Next version number; incremented under the row lock, so numbers are dense and never reused.
  next_version integer NOT NULL DEFAULT 1
);

CREATE TABLE registry_versions (
  model_id           bigint NOT NULL REFERENCES registry_models (id),
  version            integer NOT NULL CHECK (version > 0),
  content_sha256     text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  manifest           jsonb NOT NULL,
  schema_fingerprint text NOT NULL,
  evaluation_set_id  text,
  created_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
  created_by         text NOT NULL,
  archived_at        timestamptz,
  archived_by        text,
  PRIMARY KEY (model_id, version)
);

-- Immutability: once written, a version's content, manifest and provenance never change; only
-- the archive columns may be set (once). Enforced here so no code path can bypass it.
CREATE FUNCTION registry_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'registry version %/% cannot be deleted; archive it', OLD.model_id, OLD.version USING ERRCODE = 'RG001';
  END IF;
  IF NEW.content_sha256 IS DISTINCT FROM OLD.content_sha256
     OR NEW.manifest IS DISTINCT FROM OLD.manifest
     OR NEW.schema_fingerprint IS DISTINCT FROM OLD.schema_fingerprint
     OR NEW.evaluation_set_id IS DISTINCT FROM OLD.evaluation_set_id
     OR NEW.created_at IS DISTINCT FROM OLD.created_at
     OR NEW.created_by IS DISTINCT FROM OLD.created_by
     OR NEW.model_id IS DISTINCT FROM OLD.model_id
     OR NEW.version IS DISTINCT FROM OLD.version THEN
    RAISE EXCEPTION 'registry version %/% is immutable', OLD.model_id, OLD.version USING ERRCODE = 'RG001';
  END IF;
  IF OLD.archived_at IS NOT NULL AND NEW.archived_at IS DISTINCT FROM OLD.archived_at THEN
    RAISE EXCEPTION 'registry version %/% is already archived', OLD.model_id, OLD.version USING ERRCODE = 'RG001';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER registry_versions_immutable
  BEFORE UPDATE OR DELETE ON registry_versions
  FOR EACH ROW EXECUTE FUNCTION registry_versions_immutable();

CREATE TABLE registry_aliases (
  model_id      bigint NOT NULL,
  alias         text NOT NULL,
  version       integer NOT NULL,
  last_event_id bigint NOT NULL,
  updated_at    timestamptz NOT NULL,
  PRIMARY KEY (model_id, alias),
  FOREIGN KEY (model_id, version) REFERENCES registry_versions (model_id, version)
);

CREATE TABLE registry_alias_events (
  id           bigserial PRIMARY KEY,
  model_id     bigint NOT NULL REFERENCES registry_models (id),
  alias        text NOT NULL,
  from_version integer,
  to_version   integer NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('set', 'promote', 'override', 'rollback')),
  actor        text NOT NULL,
  reason       text NOT NULL,
  -- The gate's numbers when the move went through the promotion gate (or overrode it).
  gate         jsonb,
  at           timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX registry_alias_events_lookup ON registry_alias_events (model_id, alias, id DESC);

-- The audit log is append-only.
CREATE FUNCTION registry_alias_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'registry alias events are append-only' USING ERRCODE = 'RG002';
END $$;

CREATE TRIGGER registry_alias_events_append_only
  BEFORE UPDATE OR DELETE ON registry_alias_events
  FOR EACH ROW EXECUTE FUNCTION registry_alias_events_append_only();
