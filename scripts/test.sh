#!/usr/bin/env bash
# The test command: sets up Node 22 + pnpm + dependencies if needed, then builds and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
pnpm test
