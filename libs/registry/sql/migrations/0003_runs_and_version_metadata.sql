-- Migration 0003 (issue 18 §4): training runs as first-class records, and mutable version metadata.
-- Runs follow MLflow's model: parameters (the run spec), a status, tags, metric history per step,
-- artifacts (blobs in the content-addressed store) and the versions registered from them (found
-- through the manifest's lineage.trainingRunId, so no version row changes).

CREATE TABLE registry_runs (
  -- Insertion order: the keyset cursor of run lists.
  seq          bigserial PRIMARY KEY,
  run_id       text NOT NULL UNIQUE,
  name         text NOT NULL,
  -- Groups runs as MLflow's experiments do; the trainer uses the registry model's name.
  experiment   text NOT NULL,
  status       text NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'killed')),
  params       jsonb NOT NULL,
  tags         jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_by   text NOT NULL,
  started_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at  timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX registry_runs_experiment ON registry_runs (experiment, seq DESC);
CREATE INDEX registry_runs_tags ON registry_runs USING gin (tags jsonb_path_ops);

-- Parameters are what the run was started with: set once.
CREATE FUNCTION registry_runs_params_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.params IS DISTINCT FROM OLD.params OR NEW.run_id IS DISTINCT FROM OLD.run_id OR NEW.started_at IS DISTINCT FROM OLD.started_at THEN
    RAISE EXCEPTION 'registry run % parameters are immutable', OLD.run_id USING ERRCODE = 'RG003';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER registry_runs_params_frozen
  BEFORE UPDATE ON registry_runs
  FOR EACH ROW EXECUTE FUNCTION registry_runs_params_frozen();

-- Metric history: one value per (run, key, step); a re-logged step (a resumed run) replaces it.
CREATE TABLE registry_run_metrics (
  run_seq  bigint NOT NULL REFERENCES registry_runs (seq),
  key      text NOT NULL,
  step     integer NOT NULL CHECK (step >= 0),
  value    double precision NOT NULL,
  at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (run_seq, key, step)
);

CREATE TABLE registry_run_artifacts (
  run_seq      bigint NOT NULL REFERENCES registry_runs (seq),
  path         text NOT NULL,
  sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  bytes        bigint NOT NULL CHECK (bytes >= 0),
  content_type text,
  at           timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (run_seq, path)
);

-- Artifacts are immutable: a path, once logged, keeps its bytes.
CREATE FUNCTION registry_run_artifacts_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'registry run artifacts are immutable' USING ERRCODE = 'RG003';
END $$;

CREATE TRIGGER registry_run_artifacts_immutable
  BEFORE UPDATE OR DELETE ON registry_run_artifacts
  FOR EACH ROW EXECUTE FUNCTION registry_run_artifacts_immutable();

-- Linked versions are looked up by their run id.
CREATE INDEX registry_versions_run ON registry_versions ((manifest -> 'lineage' ->> 'trainingRunId'));

-- Mutable version metadata: the immutability trigger of 0002 checks named columns only, so these
-- two stay editable while content, manifest and provenance do not.
ALTER TABLE registry_versions ADD COLUMN description text NOT NULL DEFAULT '';
ALTER TABLE registry_versions ADD COLUMN tags jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE registry_versions ADD COLUMN meta_updated_at timestamptz;
ALTER TABLE registry_versions ADD COLUMN meta_updated_by text;
