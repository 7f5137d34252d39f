-- migrations-unlock: releases the lock taken by migrations-lock.
-- $1 schema (text, nullable), as given to migrations-lock
-- returns: 1 row
SELECT pg_advisory_unlock(hashtext('metarec-registry-migrate:' || coalesce($1::text, current_schema())));
