-- get-run: one run by id.
-- $1 run id (text)
-- returns: 0 or 1 row (run columns)
SELECT r.seq, r.run_id, r.name, r.experiment, r.status, r.params, r.tags, r.created_by, r.started_at, r.finished_at, r.updated_at
FROM registry_runs r
WHERE r.run_id = $1;
