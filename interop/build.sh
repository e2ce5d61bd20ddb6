#!/usr/bin/env bash
# Builds the Go interop peer (bin/peer), the capture tool (bin/capture) and the
# go-micro `micro` CLI of the same go-micro version (bin/micro). Idempotent;
# uses the default Go caches (GOMODCACHE, GOCACHE). bin/ is git-ignored.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
start=$(date +%s.%N)

GO_MICRO_VERSION=$(awk '$1=="go-micro.dev/v5"{print $2; exit}' go.mod)

find_go() {
  if command -v go >/dev/null 2>&1; then command -v go; return; fi
  for g in /usr/local/go/bin/go /usr/lib/go/bin/go; do [ -x "$g" ] && { echo "$g"; return; }; done
  echo "go not found; installing golang-go with apt-get" >&2
  (apt-get install -y --no-install-recommends golang-go >/dev/null 2>&1 ||
    { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends golang-go >/dev/null; }) >&2
  command -v go
}
GO=$(find_go)
echo "go: $GO ($("$GO" version)); go-micro.dev/v5 $GO_MICRO_VERSION"

export GOFLAGS=-mod=mod
mkdir -p bin
"$GO" build -o bin/peer ./cmd/peer
"$GO" build -o bin/capture ./cmd/capture

# The micro CLI of the same version. `go install ...@version` needs the proxy's
# version list (for the deprecation check), which the proxy here refuses (403),
# so fall back to a throw-away wrapper module outside the repo.
want="micro-$GO_MICRO_VERSION"
if [ ! -x bin/micro ] || [ "$(cat bin/.micro-version 2>/dev/null)" != "$want" ]; then
  if ! GOBIN="$here/bin" "$GO" install "go-micro.dev/v5/cmd/micro@$GO_MICRO_VERSION" 2>/dev/null; then
    wrap="${XDG_CACHE_HOME:-$HOME/.cache}/microts-interop/micro-cli-$GO_MICRO_VERSION"
    mkdir -p "$wrap"
    if [ ! -f "$wrap/go.mod" ]; then
      printf 'module microts/micro-cli\n\ngo 1.24\n\nrequire go-micro.dev/v5 %s\n' "$GO_MICRO_VERSION" >"$wrap/go.mod"
      printf '//go:build tools\n\npackage tools\n\nimport _ "go-micro.dev/v5/cmd/micro"\n' >"$wrap/tools.go"
    fi
    (cd "$wrap" && "$GO" mod tidy >/dev/null 2>&1 || true; cd "$wrap" && "$GO" build -o "$here/bin/micro" go-micro.dev/v5/cmd/micro)
  fi
  echo "$want" >bin/.micro-version
fi

end=$(date +%s.%N)
printf 'built bin/peer bin/capture bin/micro in %.1fs\n' "$(echo "$end - $start" | bc 2>/dev/null || python3 -c "print($end-$start)")"
