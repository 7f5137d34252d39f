# Sourced by pipeline.sh and test.sh: everything a fresh clone needs before running anything.
#  1. npm dependencies: `npm ci` when node_modules is missing or older than package-lock.json;
#  2. dev services (Kafka, Redis, PostgreSQL): `services.sh up` (idempotent, < 1 s when running);
#  3. their addresses exported (KAFKA_BROKERS, REDIS_URL, DATABASE_URL) for the commands that follow;
#  4. the production tensor backend: tfjs-node's addon built against TensorFlow's C library from
#     PyPI (ensure-tensorflow-backend.sh; ~20 s and ~260 MB once per machine, < 2 s after), so
#     `tensorflow` is the best available backend. METAREC_SKIP_TENSORFLOW_SETUP=1 skips it (wasm then).

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

ensure_tensorflow_backend() {
  [[ "${METAREC_SKIP_TENSORFLOW_SETUP:-}" == "1" ]] && return 0
  bash tools/scripts/ensure-tensorflow-backend.sh >&2
}

ensure_node_modules
ensure_tensorflow_backend
ensure_services
