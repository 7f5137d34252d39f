-- notify-alias: tells LISTENers an alias moved; delivered when the transaction commits.
-- $1 channel (text), $2 payload JSON (text: { model, alias, version, eventId })
-- returns: 1 row
SELECT pg_notify($1, $2);
