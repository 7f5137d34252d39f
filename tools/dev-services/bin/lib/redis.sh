# Redis: a private redis-server on METAREC_REDIS_PORT, data under $METAREC_DATA_DIR/redis.
# noeviction because BullMQ refuses any other policy (a queue must never lose keys);
# appendonly so later crash tests can kill -9 it and find the data back.

REDIS_DIR="$METAREC_DATA_DIR/redis"
REDIS_PIDFILE="$REDIS_DIR/redis.pid"
# redis-server rewrites its argv to "redis-server 127.0.0.1:PORT".
redis_pattern() { echo "redis-server 127.0.0.1:$METAREC_REDIS_PORT"; }

redis_ping() { [[ "$(redis-cli -h 127.0.0.1 -p "$METAREC_REDIS_PORT" ping 2>/dev/null)" == "PONG" ]]; }

redis_up() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || apt_install redis-server
  mkdir -p "$REDIS_DIR"
  if is_alive "$REDIS_PIDFILE" "$(redis_pattern)"; then
    log "redis: already running (pid $(head -n1 "$REDIS_PIDFILE"))"
  else
    port_in_use "$METAREC_REDIS_PORT" &&
      die "redis: port $METAREC_REDIS_PORT is taken by another process; set METAREC_REDIS_PORT"
    redis-server --port "$METAREC_REDIS_PORT" --bind 127.0.0.1 \
      --daemonize yes --pidfile "$REDIS_PIDFILE" --logfile "$REDIS_DIR/redis.log" \
      --dir "$REDIS_DIR" --appendonly yes --maxmemory-policy noeviction ||
      die "redis: redis-server failed to start, see $REDIS_DIR/redis.log"
  fi
  wait_until redis redis_ping || die "redis: no PONG on port $METAREC_REDIS_PORT, see $REDIS_DIR/redis.log"
  log "redis: ready on redis://localhost:$METAREC_REDIS_PORT"
}

redis_down() {
  # Redis treats SIGTERM as SHUTDOWN: it flushes the AOF before exiting.
  stop_pid redis "$REDIS_PIDFILE" "$(redis_pattern)" 10
}

redis_status() {
  if is_alive "$REDIS_PIDFILE" "$(redis_pattern)" && redis_ping; then
    echo "redis     up    pid $(head -n1 "$REDIS_PIDFILE")  redis://localhost:$METAREC_REDIS_PORT"
    return 0
  fi
  echo "redis     down  (port $METAREC_REDIS_PORT)"
  return 1
}
