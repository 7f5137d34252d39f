# PostgreSQL: a private cluster (initdb once) under $METAREC_DATA_DIR/postgres on METAREC_PG_PORT,
# with a METAREC_PG_USER role owning database METAREC_PG_DB. PostgreSQL refuses to run as root,
# so when we are root every pg command runs as the `postgres` OS user that Debian's package creates.

# nearest_existing DIR: DIR or its closest existing ancestor.
nearest_existing() {
  local dir="$1"
  while [[ ! -e "$dir" && "$dir" != "/" ]]; do dir="$(dirname "$dir")"; done
  echo "$dir"
}

# The cluster lives in $METAREC_DATA_DIR/postgres, unless we are root and the `postgres` OS user
# cannot reach that folder (a checkout under a 0700 home or CI work dir): then a per-checkout
# folder under /var/tmp, named after the data dir, so status/down find it again.
pg_dir() {
  local wanted="$METAREC_DATA_DIR/postgres"
  if [[ $EUID -ne 0 ]] || runuser -u postgres -- test -x "$(nearest_existing "$wanted")" 2>/dev/null; then
    echo "$wanted"
    return 0
  fi
  echo "/var/tmp/metarec-postgres-$(printf '%s' "$METAREC_DATA_DIR" | sha1sum | cut -c1-12)"
}

PG_DIR="$(pg_dir)"
PG_DATA="$PG_DIR/data"
PG_SOCKET_DIR="$PG_DIR/run"
PG_LOG="$PG_DIR/postgres.log"
PG_BIN=""

pg_find_bin() {
  local dir
  if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
    PG_BIN="$(dirname "$(readlink -f "$(command -v pg_ctl)")")"
    return 0
  fi
  # Debian keeps server binaries off PATH, under /usr/lib/postgresql/<major>/bin.
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
  [[ -n "$dir" && -x "$dir/pg_ctl" ]] || return 1
  PG_BIN="$dir"
}

# as_pg CMD...: runs CMD as the postgres OS user when we are root, as ourselves otherwise.
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_isready_local() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$METAREC_PG_PORT"; }

pg_psql() { as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -p "$METAREC_PG_PORT" -U postgres "$@"; }

pg_running() { [[ -s "$PG_DATA/postmaster.pid" ]] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

pg_init_cluster() {
  [[ -s "$PG_DATA/PG_VERSION" ]] && return 0
  log "postgres: initdb in $PG_DATA"
  mkdir -p "$PG_DATA"
  [[ $EUID -eq 0 ]] && chown -R postgres:postgres "$PG_DIR"
  chmod 700 "$PG_DATA"
  # Local socket: trust (only this machine's users reach it); TCP: password (scram).
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1 ||
    die "postgres: initdb failed, see $PG_DIR/initdb.log"
}

pg_ensure_role_and_db() {
  local user="$METAREC_PG_USER" pass="$METAREC_PG_PASSWORD" db="$METAREC_PG_DB"
  pg_psql -d postgres -v u="$user" -v p="$pass" <<'SQL' || die "postgres: could not create role"
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'u', :'p')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'u') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'u', :'p') \gexec
SQL
  pg_psql -d postgres -v u="$user" -v d="$db" <<'SQL' || die "postgres: could not create database"
SELECT format('CREATE DATABASE %I OWNER %I', :'d', :'u')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'d') \gexec
SQL
}

pg_up() {
  pg_find_bin || { apt_install postgresql && pg_find_bin; } || die "postgres: no pg_ctl found after install"
  [[ $EUID -eq 0 ]] && ! id postgres >/dev/null 2>&1 &&
    die "postgres: running as root needs the 'postgres' OS user (apt-get install postgresql creates it)"
  [[ "$PG_DIR" == "$METAREC_DATA_DIR/postgres" ]] ||
    log "postgres: the 'postgres' user cannot reach $METAREC_DATA_DIR, so the cluster lives in $PG_DIR"
  pg_init_cluster
  mkdir -p "$PG_SOCKET_DIR"
  [[ $EUID -eq 0 ]] && chown postgres:postgres "$PG_SOCKET_DIR" "$PG_DIR"
  if pg_running; then
    log "postgres: already running (pid $(head -n1 "$PG_DATA/postmaster.pid"))"
  else
    port_in_use "$METAREC_PG_PORT" &&
      die "postgres: port $METAREC_PG_PORT is taken by another process; set METAREC_PG_PORT"
    [[ $EUID -eq 0 ]] && touch "$PG_LOG" && chown postgres:postgres "$PG_LOG"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$METAREC_SERVICES_TIMEOUT_SEC" \
      -o "-p $METAREC_PG_PORT -k $PG_SOCKET_DIR -c listen_addresses=localhost" start >/dev/null ||
      die "postgres: pg_ctl start failed, see $PG_LOG"
  fi
  wait_until postgres pg_isready_local || die "postgres: not accepting connections on $METAREC_PG_PORT, see $PG_LOG"
  pg_ensure_role_and_db
  log "postgres: ready on postgres://$METAREC_PG_USER@localhost:$METAREC_PG_PORT/$METAREC_PG_DB"
}

pg_down() {
  if ! pg_find_bin || [[ ! -s "$PG_DATA/postmaster.pid" ]]; then
    log "postgres: not running"
    return 0
  fi
  # fast: roll back open transactions and stop cleanly (smart would wait for idle clients forever).
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 ||
    log "postgres: pg_ctl stop failed or it was not running, see $PG_LOG"
  log "postgres: stopped"
}

pg_status() {
  if pg_find_bin && pg_running && pg_isready_local; then
    echo "postgres  up    pid $(head -n1 "$PG_DATA/postmaster.pid")  postgres://$METAREC_PG_USER@localhost:$METAREC_PG_PORT/$METAREC_PG_DB"
    return 0
  fi
  echo "postgres  down  (port $METAREC_PG_PORT)"
  return 1
}
