-- insert-run-artifact: records a run artifact (its bytes already in the blob store); nothing when the path exists.
-- $1 run seq (bigint), $2 path (text), $3 sha256 (text), $4 bytes (bigint), $5 content type (text, nullable)
-- returns: 0 rows when the path exists, else 1 row (path, sha256, bytes, content_type, at)
INSERT INTO registry_run_artifacts (run_seq, path, sha256, bytes, content_type)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (run_seq, path) DO NOTHING
RETURNING path, sha256, bytes, content_type, at;
