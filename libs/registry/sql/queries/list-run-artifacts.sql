-- list-run-artifacts: a run's artifacts by path.
-- $1 run seq (bigint)
-- returns: rows (path, sha256, bytes, content_type, at)
SELECT a.path, a.sha256, a.bytes, a.content_type, a.at
FROM registry_run_artifacts a
WHERE a.run_seq = $1
ORDER BY a.path;
