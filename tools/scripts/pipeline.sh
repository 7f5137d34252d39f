#!/usr/bin/env bash
# `npm run pipeline`: the demo main job on a fresh clone. Installs dependencies if needed,
# starts Kafka/Redis/PostgreSQL, then runs tools/pipeline: the whole pipeline on a synthetic world
# (Kafka → ingest → distributed meta-training → registry gate + promotion → serving → requests for
# existing, new and cold users and a new item). Extra arguments go to the pipeline CLI
# (e.g. `npm run pipeline -- --users 1000 --json`, `--schema-only`; `--help` lists them).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ensure-setup.sh"

exec node --conditions=@metarec/source --import tsx tools/pipeline/src/main.ts "$@"
