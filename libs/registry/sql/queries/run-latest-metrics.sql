-- run-latest-metrics: each metric's value at its latest step, for a set of runs (run list summaries).
-- $1 run seqs (bigint[])
-- returns: rows (run_seq, key, step, value)
SELECT DISTINCT ON (m.run_seq, m.key) m.run_seq, m.key, m.step, m.value
FROM registry_run_metrics m
WHERE m.run_seq = ANY($1::bigint[])
ORDER BY m.run_seq, m.key, m.step DESC;
