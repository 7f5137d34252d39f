-- insert-run: creates a run; nothing when the run id exists (the caller then compares).
-- $1 run id (text), $2 name (text), $3 experiment (text), $4 params (jsonb), $5 tags (jsonb), $6 actor (text)
-- returns: 0 rows when the id exists, else 1 row (run columns)
INSERT INTO registry_runs AS r (run_id, name, experiment, status, params, tags, created_by)
VALUES ($1, $2, $3, 'running', $4, $5, $6)
ON CONFLICT (run_id) DO NOTHING
RETURNING r.seq, r.run_id, r.name, r.experiment, r.status, r.params, r.tags, r.created_by, r.started_at, r.finished_at, r.updated_at;
