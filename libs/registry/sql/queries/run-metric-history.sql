-- run-metric-history: every logged value of a run's metrics, by key then step; one key when $2 is set.
-- $1 run seq (bigint), $2 key (text, nullable)
-- returns: rows (key, step, value, at)
SELECT m.key, m.step, m.value, m.at
FROM registry_run_metrics m
WHERE m.run_seq = $1 AND ($2::text IS NULL OR m.key = $2)
ORDER BY m.key, m.step;
