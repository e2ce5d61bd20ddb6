#!/usr/bin/env bash
# The test command: sets up Node 22 + pnpm + dependencies if needed, starts the real servers the
# plugin tests use (NATS, etcd, RabbitMQ, Kafka, Consul on 127.0.0.1), then builds and runs every test.
#   MICRO_SERVICES="nats etcd"  start only these;  MICRO_SERVICES=none  start none
# The servers are left running afterwards, so the next run starts in well under a second; stop
# them with `bash scripts/services/stop.sh` (see scripts/services/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh

export SVC_DIR=${SVC_DIR:-/tmp/micro-svc}
services=${MICRO_SERVICES:-}
if [ "$services" != none ]; then
  # word splitting intended: a list of service names, or nothing for all of them
  # shellcheck disable=SC2086
  if ! bash scripts/services/start.sh $services; then
    echo "[test] some servers did not start (see above): their suites fail under CI=true, skip otherwise" >&2
  fi
fi
# the browser the dashboard's tests drive (Debian's chromium)
bash scripts/browser.sh || { echo "[test] chromium could not be installed" >&2; exit 1; }
# the servers' addresses, unless the caller already points a variable elsewhere
if [ -f "$SVC_DIR/env" ]; then
  while IFS='=' read -r key value; do
    case $key in '' | \#*) continue ;; esac
    [ -n "${!key:-}" ] || export "$key=$value"
  done <"$SVC_DIR/env"
fi

pnpm test
