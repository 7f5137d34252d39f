-- ping: readiness probe.
-- no parameters
-- returns: 1 row (ok)
SELECT 1 AS ok;
