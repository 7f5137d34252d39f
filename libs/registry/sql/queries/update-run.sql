-- update-run: renames, merges and removes tags, and ends a running run. A run that has ended keeps
-- its status (setting the same terminal status again is an idempotent no-op).
-- $1 run id (text), $2 name (text, null = keep), $3 status (text, null = keep), $4 tags to set
-- (jsonb object), $5 tag keys to remove (text[])
-- returns: 0 rows when the run is unknown or the status change is refused, else 1 row (run columns)
UPDATE registry_runs AS r
SET name = COALESCE($2, r.name),
    status = COALESCE($3, r.status),
    finished_at = CASE WHEN $3::text IS NOT NULL AND $3 <> 'running' AND r.status = 'running' THEN clock_timestamp() ELSE r.finished_at END,
    tags = (r.tags || $4::jsonb) - $5::text[],
    updated_at = clock_timestamp()
WHERE r.run_id = $1 AND ($3::text IS NULL OR r.status = 'running' OR r.status = $3)
RETURNING r.seq, r.run_id, r.name, r.experiment, r.status, r.params, r.tags, r.created_by, r.started_at, r.finished_at, r.updated_at;
