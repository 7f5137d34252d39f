#!/usr/bin/env bash
# Dev services for metarec: the real Kafka (KRaft, from Maven Central), Redis and PostgreSQL,
# each a private instance whose data, logs and pid files live under $METAREC_DATA_DIR.
#
#   services.sh up       install what is missing, start, wait until each answers, print addresses
#   services.sh down     stop all three cleanly
#   services.sh status   one line per service; exit 0 only when all are up
#   services.sh env      print the addresses as KEY=value lines (eval-able with `export`)
#
# Every command is idempotent. Settings and defaults: tools/dev-services/README.md.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/redis.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/postgres.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/kafka.sh"

print_env() { sed 's/^/export /' "$ENV_FILE"; }

cmd_up() {
  local start=$SECONDS
  mkdir -p "$METAREC_DATA_DIR"
  # Kafka first: its JVM start is the slowest, and Redis/PostgreSQL come up while it boots.
  kafka_up_async
  redis_up
  pg_up
  kafka_wait
  write_env_file
  log "all services ready in $((SECONDS - start))s; addresses (also in $ENV_FILE):"
  print_env
}

cmd_down() {
  kafka_down
  redis_down
  pg_down
}

cmd_status() {
  local rc=0
  kafka_status || rc=1
  redis_status || rc=1
  pg_status || rc=1
  return $rc
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env)
    write_env_file
    print_env
    ;;
  *)
    echo "usage: $0 up|down|status|env" >&2
    exit 2
    ;;
esac
