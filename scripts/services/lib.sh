# shellcheck shell=bash disable=SC2034
# Shared settings and helpers of start.sh / stop.sh (sourced, not run).
# Every address here is loopback: 127.0.0.1 only.

SVC_DIR=${SVC_DIR:-/tmp/micro-svc}
MICRO_CACHE_DIR=${MICRO_CACHE_DIR:-$HOME/.cache/micro-ts}
SVC_ALL=(nats etcd rabbitmq kafka consul)

NATS_PORT=${NATS_PORT:-4222}
NATS_MON_PORT=${NATS_MON_PORT:-8222}
ETCD_PORT=${ETCD_PORT:-2379}
ETCD_PEER_PORT=${ETCD_PEER_PORT:-2380}
AMQP_PORT=${AMQP_PORT:-5672}
RABBIT_DIST_PORT=${RABBIT_DIST_PORT:-25672}
RABBIT_NODENAME=${RABBIT_NODENAME:-rabbit@localhost}
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
CONSUL_HTTP_PORT=${CONSUL_HTTP_PORT:-8500}
CONSUL_SERVER_PORT=${CONSUL_SERVER_PORT:-8300}
CONSUL_SERF_LAN_PORT=${CONSUL_SERF_LAN_PORT:-8301}
CONSUL_SERF_WAN_PORT=${CONSUL_SERF_WAN_PORT:-8302}
# dev: in-memory state (the default); server: a single server keeping its state in its data dir
CONSUL_MODE=${CONSUL_MODE:-dev}

# Pinned versions of what is not a Debian package.
KAFKA_VERSION=${KAFKA_VERSION:-4.4.0}
KAFKA_SCALA_VERSION=${KAFKA_SCALA_VERSION:-2.13}
KAFKA_LOG4J_VERSION=${KAFKA_LOG4J_VERSION:-2.24.3}
CONSUL_VERSION=${CONSUL_VERSION:-1.22.7}
# consul's go.mod replaces its api submodule by ./api, which a wrapper module cannot see; the
# published api release that matches v1.22.7's ./api (has ACLToken.Name, TokenNameFormat) is v1.34.1.
CONSUL_API_VERSION=${CONSUL_API_VERSION:-1.34.1}

KAFKA_HOME=$MICRO_CACHE_DIR/kafka-$KAFKA_VERSION
CONSUL_HOME=$MICRO_CACHE_DIR/consul-$CONSUL_VERSION
CONSUL_BIN=$CONSUL_HOME/consul

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
fmt_ms() { printf '%d.%01d s' $(( $1 / 1000 )) $(( ($1 % 1000) / 100 )); }

# start-stop-daemon --background --make-pidfile writes the PID of its forked child before that child
# execs the server, so for a moment /proc/PID/comm is "start-stop-daem" (15 characters kept): a server
# being launched, not one that exited. pid_running waits up to SVC_EXEC_WAIT seconds for the exec;
# a child still not exec'd by then counts as running (starting): callers have their own deadlines,
# and calling it gone would fail a start that succeeds, or let stop.sh drop the PID file of a server
# that then runs with no PID file (an orphan), or let SVC_FRESH=1 wipe its data.
SVC_EXEC_WAIT=${SVC_EXEC_WAIT:-2}
LAUNCHER_COMM=start-stop-daem

# pid_running PID COMM -> the pid exists, is not a zombie (PID 1 here reaps orphans only every ~2 s)
# and runs the program we expect (guards against PID reuse), or is still being launched for it.
pid_running() {
  local pid=$1 comm=$2 state name i
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  for ((i = 0; ; i++)); do
    state=$(sed -e 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
    [ -n "$state" ] && [ "$state" != Z ] || return 1
    name=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
    [ "$name" = "$comm" ] && return 0
    [ "$name" = "$LAUNCHER_COMM" ] && [ "$comm" != "$LAUNCHER_COMM" ] || return 1
    [ "$i" -ge $((SVC_EXEC_WAIT * 20)) ] && return 0
    sleep 0.05
  done
}
pid_of() { [ -s "$1" ] && tr -dc '0-9' <"$1"; }
# adopt PIDFILE COMM -> when the PID file names no running COMM, a COMM process whose command line
# names the PID file's directory is ours all the same (its PID file was lost, e.g. to the race
# above): its pid goes back into the file, so start.sh sees it running and stop.sh can stop it.
adopt() {
  local pf=$1 comm=$2 dir p
  dir="$(cd "$(dirname "$pf")" 2>/dev/null && pwd)/" || return 1
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$comm" ] || continue
    case "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" in
      *"$dir"*) pid_running "$p" "$comm" || continue
        echo "$p" >"$pf"
        return 0 ;;
    esac
  done
  return 1
}
# alive PIDFILE COMM
alive() {
  local pid
  pid=$(pid_of "$1") && pid_running "$pid" "$2" && return 0
  adopt "$1" "$2"
}
rss_mb() { local pid=$1; [ -r "/proc/$pid/status" ] && awk '/^VmRSS:/ {printf "%d", $2/1024}' "/proc/$pid/status"; }

tcp_open() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }
# http_get PORT PATH -> prints the response (HTTP/1.0; needs no curl)
http_get() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1 && printf 'GET $2 HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 && cat <&3" 2>/dev/null || true
}

# stop_pidfile PIDFILE COMM [TIMEOUT_S]: SIGTERM, wait, SIGKILL if needed; only the pid in the file.
stop_pidfile() {
  local pf=$1 comm=$2 tmo=${3:-${SVC_STOP_TIMEOUT:-30}} pid i name
  name="$(basename "$(dirname "$pf")")/$(basename "$pf" .pid) ($comm)"
  alive "$pf" "$comm" || true # a server whose PID file was lost is adopted, so it can be stopped
  [ -s "$pf" ] || return 0
  pid=$(pid_of "$pf")
  if ! pid_running "$pid" "$comm"; then log "$name: pid ${pid:-?} from $pf not running"; rm -f "$pf"; return 0; fi
  local t
  t=$(now_ms)
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < tmo * 10; i++)); do pid_running "$pid" "$comm" || break; sleep 0.1; done
  if pid_running "$pid" "$comm"; then
    log "$name: pid $pid ignored SIGTERM for ${tmo}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null
    for ((i = 0; i < 50; i++)); do pid_running "$pid" "$comm" || break; sleep 0.1; done
  fi
  log "$name: stopped pid $pid in $(fmt_ms $(( $(now_ms) - t )))"
  rm -f "$pf"
}
