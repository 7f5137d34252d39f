#!/usr/bin/env bash
# `npm run test:faults`: the fault-injection suite (issue 17) on its own, against the real services
# the project's scripts start: each scenario is an integration (or HTTP fuzz) test that `npm test`
# also runs in CI; this target runs just them, one project at a time, and ends with one line per
# scenario and the totals.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ensure-setup.sh"
export NX_DAEMON=false FORCE_COLOR=0 CI="${CI:-true}"
eval "$(bash "$REPO_ROOT/tools/dev-services/bin/services.sh" env)"

# project directory | vitest config | test file | scenario
SCENARIOS=(
  "apps/ingest|vitest.int.config.ts|src/crash-recovery.int.test.ts|ingest kill -9 mid-stream: every offline row and online entry counted against Kafka"
  "apps/ingest|vitest.int.config.ts|src/poison-message.int.test.ts|poison message on broker-default topics: dead letter fits, partition moves, stuck partitions unready"
  "apps/ingest|vitest.int.config.ts|src/dead-letter.int.test.ts|malformed corpus (key mismatch, duplicate keys included) dead-lettered with reasons"
  "tools/loadgen|vitest.int.config.ts|src/broker-restart.int.test.ts|broker restart mid-stream: producer retries, nothing lost"
  "libs/training|vitest.int.config.ts|src/coordinator/distributed-training.int.test.ts|Redis restart mid-run, resume, second coordinator refused: bit-identical parameters"
  "libs/training|vitest.int.config.ts|src/coordinator/run-lease.int.test.ts|run-id lease: exclusive, lapses on kill, fenced"
  "apps/trainer|vitest.int.config.ts|src/trainer-process.int.test.ts|worker and coordinator kill -9: same parameters"
  "apps/serving|vitest.int.config.ts|src/serving.int.test.ts|alias moves under concurrent load: 0 failed requests"
  "apps/serving|vitest.config.ts|src/app-fuzz.test.ts|serving HTTP fuzz: no 5xx, no internals"
  "apps/registry|vitest.int.config.ts|src/edge-validation.int.test.ts|registry HTTP fuzz and edge validation: no 5xx, no internals"
  "apps/registry|vitest.int.config.ts|src/error-bodies.int.test.ts|PostgreSQL outage: 503, no internals"
  "apps/registry|vitest.int.config.ts|src/upload.int.test.ts|unauthenticated 300 MB upload refused before it is read"
)

# Each scenario records the figures it asserted (events in and out, requests sent and failed, 5xx
# answers) through @metarec/runtime/testing's recordScenarioFigures; they are printed as one table.
# Under the repository's .data (not /tmp, which other tools may sweep), rewritten by each run.
FIGURES_FILE="$REPO_ROOT/.data/test-reports/fault-figures.jsonl"
mkdir -p "$(dirname "$FIGURES_FILE")"
: >"$FIGURES_FILE"
export METAREC_SCENARIO_FIGURES_FILE="$FIGURES_FILE"

status=0
results=()
for entry in "${SCENARIOS[@]}"; do
  IFS='|' read -r project config file scenario <<<"$entry"
  echo "== $scenario ($project/$file)"
  if (cd "$REPO_ROOT/$project" && npx vitest run -c "$config" "$file"); then
    results+=("ok    $scenario")
  else
    results+=("FAIL  $scenario")
    status=1
  fi
done
echo
echo "fault-injection suite:"
printf '  %s\n' "${results[@]}"
echo
echo "figures measured (each asserted by its test):"
node --input-type=module -e '
import { readFileSync } from "node:fs";
const rows = readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));
const width = Math.max(8, ...rows.map((r) => r.scenario.length));
console.log(`  ${"scenario".padEnd(width)}  figures`);
for (const { scenario, figures } of rows) {
  console.log(`  ${scenario.padEnd(width)}  ${Object.entries(figures).map(([k, v]) => `${k}=${v}`).join("  ")}`);
}
' "$FIGURES_FILE"
exit "$status"
