-- Migration 0002: the reason given when a version is archived (issue 17, defect 10).
-- Set once, together with archived_at, then frozen like the rest of the version: the trigger
-- below replaces 0001's function with the same rules plus that one.

ALTER TABLE registry_versions ADD COLUMN archive_reason text;

CREATE OR REPLACE FUNCTION registry_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
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
  IF OLD.archived_at IS NOT NULL AND (NEW.archived_at IS DISTINCT FROM OLD.archived_at
     OR NEW.archived_by IS DISTINCT FROM OLD.archived_by
     OR NEW.archive_reason IS DISTINCT FROM OLD.archive_reason) THEN
    RAISE EXCEPTION 'registry version %/% is already archived', OLD.model_id, OLD.version USING ERRCODE = 'RG001';
  END IF;
  -- The reason is written by the archiving update itself, never on its own.
  IF OLD.archived_at IS NULL AND NEW.archived_at IS NULL AND NEW.archive_reason IS DISTINCT FROM OLD.archive_reason THEN
    RAISE EXCEPTION 'registry version %/%: archive_reason is set only when archiving', OLD.model_id, OLD.version USING ERRCODE = 'RG001';
  END IF;
  RETURN NEW;
END $$;
