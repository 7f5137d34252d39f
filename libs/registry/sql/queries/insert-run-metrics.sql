-- insert-run-metrics: logs a batch of metric values; a step logged again (a resumed run) takes the new value.
-- $1 run seq (bigint), $2 keys (text[]), $3 steps (int[]), $4 values (float8[]), all of one length
-- returns: nothing
INSERT INTO registry_run_metrics (run_seq, key, step, value)
SELECT $1, t.key, t.step, t.value
FROM unnest($2::text[], $3::int[], $4::float8[]) AS t(key, step, value)
ON CONFLICT (run_seq, key, step) DO UPDATE SET value = EXCLUDED.value, at = clock_timestamp();
