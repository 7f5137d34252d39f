-- list-runs: one page of runs, newest first, filtered; every filter is skipped when its parameter is null.
-- $1 experiment (text), $2 name contains, case-insensitive (text), $3 status (text), $4 tags the run
-- must carry (jsonb object, containment), $5 metric key (text), $6 comparison ('<','<=','>','>=','='),
-- $7 threshold (float8) compared with the metric's value at its latest step, $8 cursor: only runs
-- with seq below it (bigint), $9 page size (int)
-- returns: rows (run columns)
SELECT r.seq, r.run_id, r.name, r.experiment, r.status, r.params, r.tags, r.created_by, r.started_at, r.finished_at, r.updated_at
FROM registry_runs r
WHERE ($1::text IS NULL OR r.experiment = $1)
  AND ($2::text IS NULL OR strpos(lower(r.name), lower($2)) > 0 OR strpos(lower(r.run_id), lower($2)) > 0)
  AND ($3::text IS NULL OR r.status = $3)
  AND ($4::jsonb IS NULL OR r.tags @> $4)
  AND ($5::text IS NULL OR EXISTS (
        SELECT 1 FROM (
          SELECT m.value FROM registry_run_metrics m
          WHERE m.run_seq = r.seq AND m.key = $5
          ORDER BY m.step DESC LIMIT 1
        ) latest
        WHERE CASE $6::text
          WHEN '<' THEN latest.value < $7::float8
          WHEN '<=' THEN latest.value <= $7::float8
          WHEN '>' THEN latest.value > $7::float8
          WHEN '>=' THEN latest.value >= $7::float8
          WHEN '=' THEN latest.value = $7::float8
          ELSE false END))
  AND ($8::bigint IS NULL OR r.seq < $8)
ORDER BY r.seq DESC
LIMIT $9;
