#!/usr/bin/env bash
# `npm test`: the whole check on a fresh clone. Installs dependencies if needed, starts the dev
# services, runs lint + typecheck + unit tests for every project (the tensor suites again on wasm and
# tensorflow), then the integration tests one project at a time (they share one broker), and ends
# with one line of totals (summed from vitest's JSON reports).
# With CI=true no integration test may skip: a missing service fails the run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ensure-setup.sh"

# The registry's browser test drives Debian's chromium through playwright-core (playwright's own
# browser download cannot work on machines without internet), so install it when missing.
ensure_chromium() {
  command -v chromium >/dev/null 2>&1 && return 0
  echo "[setup] installing Debian's chromium for the browser tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends chromium >&2 ||
    { apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends chromium >&2; }
}
ensure_chromium

export NX_DAEMON=false NX_TUI=false NX_NO_CLOUD=true FORCE_COLOR=0
# ensure-setup built the tensorflow backend: its suites must run, not skip (unless the setup was skipped on purpose).
[[ "${METAREC_SKIP_TENSORFLOW_SETUP:-}" == "1" ]] || export METAREC_REQUIRE_TENSORFLOW=1
LOG_DIR="$REPO_ROOT/.data/test-logs"
mkdir -p "$LOG_DIR"
LOG="$LOG_DIR/test-$(date +%Y%m%d-%H%M%S).log"

REPORTS_DIR="$REPO_ROOT/.data/test-reports"
rm -rf "$REPORTS_DIR"

status=0
# test-wasm and test-tensorflow: the suites that run once per tfjs backend (meta-learning, serving) again on those backends.
npx nx run-many -t lint typecheck test test-wasm test-tensorflow --outputStyle=static 2>&1 | tee "$LOG" || status=1
npx nx run-many -t int-test --parallel=1 --outputStyle=static 2>&1 | tee -a "$LOG" || status=1

# One closing line that CI can read: the sum of the vitest JSON reports each run wrote (see
# vitest.shared.ts; Nx restores a cached run's report with its result).
node "$REPO_ROOT/tools/scripts/sum-test-reports.mjs" "$REPORTS_DIR" || status=1
echo "full log: $LOG"
exit $status
