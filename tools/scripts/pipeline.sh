#!/usr/bin/env bash
# `npm run pipeline`: the demo main job on a fresh clone. Installs dependencies if needed,
# starts Kafka/Redis/PostgreSQL, then runs tools/pipeline: the whole pipeline on a synthetic world
# (default) or on real ratings (`--dataset movielens|file --data-dir <dir>`): Kafka → ingest →
# distributed meta-training → registry gate + promotion → serving → requests for existing, new and
# cold users and a new item → a summary and a self-contained HTML run report. Extra arguments go to
# the pipeline CLI (e.g. `npm run pipeline -- --users 1000 --json`, `--schema-only`, `--keep-running`).
set -euo pipefail

# --help / --version only print: no install, no services, no tensor backend (issue 18). They still
# need node_modules (commander and tsx live there); on a clone without them, say how to get them.
for arg in "$@"; do
  case "$arg" in
    -h | --help | -V | --version)
      cd "$(dirname "${BASH_SOURCE[0]}")/../.."
      if [[ ! -d node_modules/tsx ]]; then
        echo "metarec-pipeline: dependencies are not installed yet; run \`npm ci\` (or \`npm run pipeline\`, which installs them) and ask again" >&2
        exit 1
      fi
      exec node --conditions=@metarec/source --import tsx tools/pipeline/src/main.ts "$arg"
      ;;
    --) break ;;
  esac
done

source "$(dirname "${BASH_SOURCE[0]}")/ensure-setup.sh"

exec node --conditions=@metarec/source --import tsx tools/pipeline/src/main.ts "$@"
