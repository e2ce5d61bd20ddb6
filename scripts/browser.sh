#!/usr/bin/env bash
# Installs the browser the dashboard's tests drive: Debian's chromium (browsers cannot be downloaded
# by test tools here; playwright-core uses /usr/bin/chromium). Idempotent; a no-op when installed.
# Exits non-zero only under CI=true (where the browser tests must run); locally they skip instead.
set -uo pipefail
log() { printf '[browser %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
  log "chromium is missing and apt-get needs root: the browser tests will skip"
  [ "${CI:-}" = true ] && exit 1 || exit 0
fi
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
log "apt: installing chromium (one time, ~2 min)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || log "apt-get update failed (continuing with cached lists)"
if ! $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/tmp/micro-browser-apt.log 2>&1; then
  log "apt-get install chromium failed, see /tmp/micro-browser-apt.log"
  [ "${CI:-}" = true ] && exit 1 || exit 0
fi
log "chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}') installed"
