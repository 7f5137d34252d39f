#!/usr/bin/env bash
# `npm run pipeline`: the demo main job on a fresh clone. Installs dependencies if needed,
# starts Kafka/Redis/PostgreSQL, then runs tools/pipeline (synthetic events → Kafka → consume →
# validate → Arrow IPC file under .data/pipeline/). Extra arguments go to the pipeline CLI
# (e.g. `npm run pipeline -- --users 1000 --json`; `--help` lists them).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ensure-setup.sh"

exec node --conditions=@metarec/source --import tsx tools/pipeline/src/main.ts "$@"
