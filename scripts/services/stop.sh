#!/usr/bin/env bash
# Stop what start.sh started, by its PID files only (never by process name).
# Usage: scripts/services/stop.sh [nats] [etcd] [rabbitmq] [kafka] [consul]   (default: all)
# Env:   SVC_DIR (/tmp/micro-svc)  SVC_STOP_TIMEOUT (30 s per process before SIGKILL)
#        SVC_CLEAN (1 = also delete the services' data under $SVC_DIR)
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { printf '[services %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
. "$HERE/lib.sh"
WANT=("$@")
[ ${#WANT[@]} -eq 0 ] && WANT=("${SVC_ALL[@]}")
[ -d "$SVC_DIR" ] || { log "nothing to stop: no $SVC_DIR"; exit 0; }
rc=0
for s in "${WANT[@]}"; do
  case $s in
    nats) stop_pidfile "$SVC_DIR/nats/nats.pid" nats-server ;;
    etcd) stop_pidfile "$SVC_DIR/etcd/etcd.pid" etcd ;;
    rabbitmq)
      # the start script traps SIGTERM and stops beam.smp gracefully; then the beam itself
      # (only if a killed wrapper left it behind), then the epmd we started
      stop_pidfile "$SVC_DIR/rabbitmq/rabbitmq.pid" rabbitmq-server
      stop_pidfile "$SVC_DIR/rabbitmq/beam.pid" beam.smp
      stop_pidfile "$SVC_DIR/rabbitmq/epmd.pid" epmd ;;
    kafka) stop_pidfile "$SVC_DIR/kafka/kafka.pid" java ;;
    consul) stop_pidfile "$SVC_DIR/consul/consul.pid" consul ;;
    *) log "unknown service '$s' (nats|etcd|rabbitmq|kafka|consul)"; rc=2; continue ;;
  esac
  [ "${SVC_CLEAN:-0}" = 1 ] && rm -rf "${SVC_DIR:?}/$s"
done
exit $rc
