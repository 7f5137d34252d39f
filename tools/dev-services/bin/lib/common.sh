# Shared settings and helpers for services.sh. Sourced, not executed.
# Every setting is an env var with a default; README.md in tools/dev-services lists them.

DEV_SERVICES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REPO_ROOT="$(cd "$DEV_SERVICES_DIR/../.." && pwd)"

METAREC_DATA_DIR="${METAREC_DATA_DIR:-$REPO_ROOT/.data/services}"
METAREC_CACHE_DIR="${METAREC_CACHE_DIR:-$REPO_ROOT/.cache}"
METAREC_KAFKA_VERSION="${METAREC_KAFKA_VERSION:-4.1.1}"
METAREC_KAFKA_PORT="${METAREC_KAFKA_PORT:-9092}"
METAREC_KAFKA_CONTROLLER_PORT="${METAREC_KAFKA_CONTROLLER_PORT:-9093}"
METAREC_KAFKA_HEAP="${METAREC_KAFKA_HEAP:-512m}"
# C1-only JIT and the serial GC: on 2 cores the C2 compiler and G1's threads compete with the
# broker's own start-up; measured warm restart 18 s -> 10 s. Benchmarks may want
# METAREC_KAFKA_JVM_OPTS="-XX:+UseG1GC" for peak throughput.
METAREC_KAFKA_JVM_OPTS="${METAREC_KAFKA_JVM_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
METAREC_REDIS_PORT="${METAREC_REDIS_PORT:-6380}"
METAREC_PG_PORT="${METAREC_PG_PORT:-55432}"
METAREC_PG_USER="${METAREC_PG_USER:-metarec}"
METAREC_PG_PASSWORD="${METAREC_PG_PASSWORD:-metarec}"
METAREC_PG_DB="${METAREC_PG_DB:-metarec}"
# Seconds to wait for each service to answer before `up` fails.
METAREC_SERVICES_TIMEOUT_SEC="${METAREC_SERVICES_TIMEOUT_SEC:-90}"

ENV_FILE="$METAREC_DATA_DIR/services.env"

log() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

# is_alive PIDFILE [PATTERN] -> 0 when the pid in the file names a live process whose command
# line contains PATTERN. The pattern guards against a stale pid file (after a reboot or a crash)
# whose pid now belongs to an unrelated process, which `down` would otherwise kill.
is_alive() {
  local pidfile="$1" pattern="${2:-}" pid
  [[ -s "$pidfile" ]] || return 1
  pid="$(head -n1 "$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ -z "$pattern" ]] && return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pattern"
}

# port_in_use PORT -> 0 when something listens on 127.0.0.1:PORT (bash /dev/tcp, no extra tools).
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# stop_pid NAME PIDFILE PATTERN GRACE_SEC: SIGTERM, wait, then SIGKILL; removes the pid file.
stop_pid() {
  local name="$1" pidfile="$2" pattern="$3" grace="$4" pid i
  if ! is_alive "$pidfile" "$pattern"; then
    rm -f "$pidfile"
    log "$name: not running"
    return 0
  fi
  pid="$(head -n1 "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name: still running after ${grace}s, sending SIGKILL to $pid"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  log "$name: stopped (pid $pid)"
}

# wait_until NAME CMD...: retries CMD every 0.5 s until it succeeds or the timeout passes.
wait_until() {
  local name="$1" deadline
  shift
  deadline=$(($(date +%s) + METAREC_SERVICES_TIMEOUT_SEC))
  until "$@" >/dev/null 2>&1; do
    if (($(date +%s) >= deadline)); then
      return 1
    fi
    sleep 0.5
  done
}

# apt_install PKG...: installs Debian packages when they are missing (we run as root on dev/CI machines).
apt_install() {
  if [[ $EUID -ne 0 ]]; then
    die "missing Debian package(s): $*. Install them with: sudo apt-get install -y $*"
  fi
  log "installing with apt-get: $*"
  if [[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2 ||
    { DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2; }
}

write_env_file() {
  mkdir -p "$METAREC_DATA_DIR"
  cat >"$ENV_FILE" <<ENV
KAFKA_BROKERS=localhost:$METAREC_KAFKA_PORT
REDIS_URL=redis://localhost:$METAREC_REDIS_PORT
DATABASE_URL=postgres://$METAREC_PG_USER:$METAREC_PG_PASSWORD@localhost:$METAREC_PG_PORT/$METAREC_PG_DB
ENV
}
