# Sourced by pipeline.sh and test.sh: everything a fresh clone needs before running anything.
#  1. npm dependencies: `npm ci` when node_modules is missing or older than package-lock.json;
#  2. dev services (Kafka, Redis, PostgreSQL): `services.sh up` (idempotent, < 1 s when running);
#  3. their addresses exported (KAFKA_BROKERS, REDIS_URL, DATABASE_URL) for the commands that follow.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_ROOT"

ensure_node_modules() {
  # npm writes node_modules/.package-lock.json on every install: its age says when we last installed.
  local marker="node_modules/.package-lock.json"
  if [[ ! -f "$marker" || package-lock.json -nt "$marker" ]]; then
    echo "[setup] installing npm dependencies (npm ci)" >&2
    npm ci --no-audit --no-fund >&2
  fi
}

ensure_services() {
  bash tools/dev-services/bin/services.sh up >/dev/null
  # shellcheck disable=SC1090
  source <(bash tools/dev-services/bin/services.sh env)
}

ensure_node_modules
ensure_services
