#!/usr/bin/env bash
# Records real go-micro bytes into vectors/ (see vectors/README.md).
# Everything runs inside a temporary network namespace (loopback only; mdns is
# the registry), which is deleted on exit. Needs root (ip netns) and ./build.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
V=${1:-$here/vectors}
ns=microts-capture-$$
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  ip netns delete "$ns" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
./netns.sh create "$ns"
X() { ip netns exec "$ns" "$@"; }
# waitfor FILE KEY: value of KEY in the first JSON line of FILE that has it
waitfor() {
  for _ in $(seq 150); do
    v=$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    try: d=json.loads(l)
    except Exception: continue
    if sys.argv[2] in d: print(d[sys.argv[2]]); break' "$1" "$2" 2>/dev/null || true)
    [ -n "$v" ] && { echo "$v"; return 0; }
    sleep 0.1
  done
  echo "timeout waiting for $2 in $1" >&2; cat "$1" >&2; return 1
}
# ip netns exec execs the program in place, so $! is the peer itself (a shell function here would
# put a subshell in between and `kill $!` would miss the program).
bg() { local out=$1; shift; ip netns exec "$ns" "$@" >"$out" 2>"$out.err" & pids+=($!); }

mkdir -p "$V"/rpc "$V"/rpc/proxy "$V"/mdns "$V"/broker "$V"/registry
rm -rf "$V"/rpc/proxy/* "$V"/mdns/*

# --- servers: proto-typed (protoc-gen-micro) and plain-struct ---------------------
bg "$tmp/s.out" bin/peer server --name greeter.go --version 1.0.0
bg "$tmp/sp.out" bin/peer server --name greeter.plain --types plain
bg "$tmp/sb.out" bin/peer server --name greeter.stock --raw-stream-frames=false
S=$(waitfor "$tmp/s.out" address); SP=$(waitfor "$tmp/sp.out" address); SB=$(waitfor "$tmp/sb.out" address)
echo "servers: greeter.go=$S greeter.plain=$SP greeter.stock=$SB"

# --- (a) exact request bytes of a Go client: raw listener + client.WithAddress ----
rawreq() { # name content-type endpoint body [extra peer flags]
  local name=$1 ct=$2 ep=$3 body=$4; shift 4
  bg "$tmp/raw.out" bin/capture raw --out "$V/rpc/$name.request.http"
  local L; L=$(waitfor "$tmp/raw.out" listen)
  X bin/peer call --service greeter.go --address "$L" --endpoint "$ep" --body "$body" --content-type "$ct" --client_retries 0 "$@" >/dev/null 2>&1 || true
  sleep 0.2
}
rawreq hello-json application/json Greeter.Hello '{"name":"John"}'
rawreq hello-proto application/protobuf Greeter.Hello '{"name":"John"}'
rawreq fail-json application/json Greeter.Fail '{"name":"409"}'
rawreq hello-json-metadata application/json Greeter.Hello '{"name":"John"}' --metadata X-Test-Header=abc

# --- (b) exact response bytes of a Go server: replay those requests on a raw socket
for n in hello-json hello-proto fail-json hello-json-metadata; do
  X bin/capture replay --target "$S" --in "$V/rpc/$n.request.http" --out "$V/rpc/$n.response.http" >/dev/null 2>&1
done
# router error (unknown handler) and unsupported content type, from edited requests
sed 's/Greeter\.Hello/Nope.Hello/g' "$V/rpc/hello-json.request.http" >"$tmp/nope.http"
X bin/capture replay --target "$S" --in "$tmp/nope.http" --out "$V/rpc/unknown-handler.response.http" >/dev/null 2>&1
python3 - "$V/rpc/hello-json.request.http" "$tmp/badct.http" <<'PY'
import sys
b=open(sys.argv[1],'rb').read().replace(b'Content-Type: application/json\r\n', b'Content-Type: application/json; charset=utf-8\r\n')
open(sys.argv[2],'wb').write(b)
PY
X bin/capture replay --target "$S" --in "$tmp/badct.http" --out "$V/rpc/bad-content-type.response.http" >/dev/null 2>&1

# --- (c) full conversations through a recording proxy (client <-> real server) ----
conv() { # dir target peer-args...
  local d=$1 t=$2; shift 2
  mkdir -p "$V/rpc/proxy/$d"
  bg "$tmp/p.out" bin/capture proxy --target "$t" --out "$V/rpc/proxy/$d"
  local P; P=$(waitfor "$tmp/p.out" listen)
  X bin/peer "$@" --address "$P" --client_retries 0 >"$V/rpc/proxy/$d/client-output.jsonl" 2>/dev/null || true
  sleep 0.3
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
  rm -f "$tmp/p.out"
}
conv unary-json "$S" call --service greeter.go --body '{"name":"John"}'
conv unary-proto "$S" call --service greeter.go --body '{"name":"John"}' --content-type application/protobuf
conv unary-fail "$S" call --service greeter.go --endpoint Greeter.Fail --body '{"name":"409"}'
conv unary-json-plain "$SP" call --service greeter.plain --types plain --body '{"name":"John"}'
conv server-stream-json "$S" stream --mode server --service greeter.go --count 3
conv server-stream-proto "$S" stream --mode server --service greeter.go --count 3 --content-type application/protobuf
conv server-stream-json-plain "$SP" stream --mode server --service greeter.plain --types plain --count 3
conv server-stream-json-stock "$SB" stream --mode server --service greeter.stock --count 3
conv bidi-json "$S" stream --mode bidi --service greeter.go --count 2
conv bidi-proto "$S" stream --mode bidi --service greeter.go --count 2 --content-type application/protobuf

# --- (d) mdns answer of the Go server (TXT strings + decoded JSON) ---------------------
X bin/capture mdns --service greeter.go --out "$V/mdns" >"$tmp/mdns.out" 2>&1 || { cat "$tmp/mdns.out"; exit 1; }

# --- (f) registry entries as Go sees them ----------------------------------------------
X bin/capture registry --service greeter.go 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); open(sys.argv[1],"w").write(json.dumps(d,indent=2)+"\n")' "$V/registry/greeter.go.json"
X bin/capture registry --service greeter.go 2>/dev/null >"$V/registry/greeter.go.compact.json"
X bin/capture registry --service greeter.plain 2>/dev/null >"$V/registry/greeter.plain.compact.json"
X bin/capture registry --service micro.http.broker 2>/dev/null >"$V/registry/micro.http.broker.compact.json"
X bin/micro describe greeter.go 2>/dev/null >"$V/registry/micro-describe-greeter.go.txt" || true
X bin/micro services 2>/dev/null >"$V/registry/micro-services.txt" || true

# --- (e) http broker POST of a Go publisher, to a raw listener registered as a subscriber
pubcap() { # name content-type
  bg "$tmp/b.out" bin/capture broker --topic events.capture --out "$V/broker/$1.http"
  waitfor "$tmp/b.out" listen >/dev/null
  sleep 0.3
  X bin/peer publish --topic events.capture --body '{"id":"e-1","message":"hello"}' --content-type "$2" --metadata X-Test-Header=abc --wait 1s >/dev/null 2>&1 || true
  wait "${pids[-1]}" 2>/dev/null || true
  rm -f "$tmp/b.out"
}
pubcap publish-json application/json
pubcap publish-proto application/protobuf
# and what the Go subscriber (peer server) printed for a real delivery
X bin/peer publish --topic events.go --body '{"id":"e-2","message":"to go"}' --metadata X-Test-Header=abc >/dev/null 2>&1
X bin/peer publish --topic events.go.q --body '{"id":"e-3","message":"to queue"}' >/dev/null 2>&1
grep '"topic"' "$tmp/s.out" >"$V/broker/go-subscriber-output.jsonl" || true

echo "vectors written to $V"
