#!/usr/bin/env bash
# Network namespace for go-micro mDNS tests. Go's mdns registry cannot be pinned
# to loopback, so every mdns peer (Go or TypeScript) must run inside a namespace
# that has only a loopback interface with multicast routed onto it.
#
#   interop/netns.sh create <name>        # ip netns add + lo up + multicast route
#   interop/netns.sh delete <name>
#   interop/netns.sh exec <name> cmd...   # = ip netns exec <name> cmd...
#   interop/netns.sh selftest             # Go server + Go client over mdns in a temp namespace
set -euo pipefail
cmd=${1:-}
name=${2:-}
here=$(cd "$(dirname "$0")" && pwd)

create() {
  ip netns add "$1"
  ip -n "$1" link set lo up
  ip -n "$1" link set lo multicast on
  ip -n "$1" route add 224.0.0.0/4 dev lo src 127.0.0.1
}

delete() {
  ip netns delete "$1" 2>/dev/null || true
}

case "$cmd" in
  create) [ -n "$name" ] || { echo "usage: $0 create <name>" >&2; exit 2; }; create "$name" ;;
  delete) [ -n "$name" ] || { echo "usage: $0 delete <name>" >&2; exit 2; }; delete "$name" ;;
  exec) [ -n "$name" ] || { echo "usage: $0 exec <name> cmd..." >&2; exit 2; }; shift 2; exec ip netns exec "$name" "$@" ;;
  selftest)
    ns=microts-selftest-$$
    tmp=$(mktemp -d)
    create "$ns"
    spid=""
    cleanup() { [ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null; delete "$ns"; rm -rf "$tmp"; }
    trap cleanup EXIT
    ip netns exec "$ns" "$here/bin/peer" server --name greeter.go >"$tmp/server.out" 2>"$tmp/server.err" &
    spid=$!
    for _ in $(seq 100); do grep -q '"ready":true' "$tmp/server.out" && break; sleep 0.1; done
    head -1 "$tmp/server.out"
    ip netns exec "$ns" "$here/bin/peer" call --service greeter.go --endpoint Greeter.Hello --body '{"name":"netns"}' 2>/dev/null
    svcs=$(ip netns exec "$ns" "$here/bin/micro" services 2>/dev/null | tr "\n" " "); echo "{\"micro_services\":\"$svcs\"}"
    ;;
  *) echo "usage: $0 create|delete <name> | exec <name> cmd... | selftest" >&2; exit 2 ;;
esac
