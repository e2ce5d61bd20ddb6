#!/usr/bin/env bash
# The demo: a greeter service and a client in two processes on go-micro's default stack
# (mdns registry, http transport, http broker), all on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
pnpm exec turbo run build --filter=@micro/example-greeter... --output-logs=errors-only
pnpm demo
