#!/usr/bin/env bash
# Install what is missing and start the real servers the plugin tests use, on 127.0.0.1 only,
# as plain background daemons with PID files (no systemd), then wait (bounded) until each is ready.
# Idempotent: a service already running from $SVC_DIR is left as it is. Stop with stop.sh.
#
# Usage: scripts/services/start.sh [nats] [etcd] [rabbitmq] [kafka] [consul]   (default: all)
# Env:   SVC_DIR (/tmp/micro-svc)   MICRO_CACHE_DIR (~/.cache/micro-ts: Kafka jars, Consul binary)
#        SVC_FRESH (1 = wipe a service's data before starting it)   SVC_TIMEOUT (120 s per service)
#        ports: NATS_PORT NATS_MON_PORT ETCD_PORT ETCD_PEER_PORT AMQP_PORT RABBIT_DIST_PORT
#               KAFKA_PORT KAFKA_CONTROLLER_PORT CONSUL_HTTP_PORT CONSUL_SERVER_PORT
#               CONSUL_SERF_LAN_PORT CONSUL_SERF_WAN_PORT
#        versions: KAFKA_VERSION (4.4.0)  CONSUL_VERSION (1.22.7)  CONSUL_API_VERSION (1.34.1)
#        CONSUL_MODE (dev = in-memory, the default; server = state kept in its data dir)
# Writes $SVC_DIR/env (NATS_URL ETCD_ENDPOINTS AMQP_URL KAFKA_BROKERS CONSUL_HTTP_ADDR).
# Exits non-zero, naming the service and its log file, if a requested service is not ready in time.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { printf '[services %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
. "$HERE/lib.sh"

SVC_FRESH=${SVC_FRESH:-1}
SVC_TIMEOUT=${SVC_TIMEOUT:-120}
T_START=$(now_ms)

WANT=("$@")
[ ${#WANT[@]} -eq 0 ] && WANT=("${SVC_ALL[@]}")
for s in "${WANT[@]}"; do
  case $s in nats | etcd | rabbitmq | kafka | consul) ;; *) log "unknown service '$s' (nats|etcd|rabbitmq|kafka|consul)"; exit 2 ;; esac
done
wants() { local s; for s in "${WANT[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

mkdir -p "$SVC_DIR" "$MICRO_CACHE_DIR"
# one start.sh at a time per SVC_DIR (two test runs starting together would race on ports and files)
exec 9>"$SVC_DIR/.start.lock"
flock -w 3600 9 || { log "could not lock $SVC_DIR/.start.lock"; exit 1; }

# ---------------------------------------------------------------- install: Debian packages
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
declare -A PKG=([nats]=nats-server [etcd]=etcd-server [rabbitmq]=rabbitmq-server)
missing=()
for s in nats etcd rabbitmq; do
  wants "$s" || continue
  dpkg-query -W -f='${Status}' "${PKG[$s]}" 2>/dev/null | grep -q 'install ok installed' || missing+=("${PKG[$s]}")
done
if wants kafka; then
  # Kafka 4 needs Java >= 17; Maven only to fetch the jars once
  if ! command -v java >/dev/null || [ "$(java_major)" -lt 17 ] 2>/dev/null; then missing+=(openjdk-17-jre-headless); fi
  [ -f "$KAFKA_HOME/.complete" ] || command -v mvn >/dev/null || missing+=(maven)
fi
if [ ${#missing[@]} -gt 0 ]; then
  log "apt: installing ${missing[*]}"
  t=$(now_ms)
  # keep the packages' maintainer scripts from starting system-wide daemons
  made_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; made_policy=1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || log "apt-get update failed (continuing with cached lists)"
  apt_rc=0
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$SVC_DIR/apt.log" 2>&1 || apt_rc=$?
  [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
  [ $apt_rc = 0 ] || { log "apt-get install ${missing[*]} failed (rc $apt_rc), see $SVC_DIR/apt.log"; exit 1; }
  log "apt: installed in $(fmt_ms $(( $(now_ms) - t )))"
fi

# ---------------------------------------------------------------- install: Kafka jars (Maven Central)
install_kafka() {
  [ -f "$KAFKA_HOME/.complete" ] && return 0
  local t work
  t=$(now_ms)
  log "kafka: resolving org.apache.kafka:kafka_$KAFKA_SCALA_VERSION:$KAFKA_VERSION and its runtime dependencies with Maven into $KAFKA_HOME/jars"
  work=$KAFKA_HOME/resolve
  rm -rf "$work" "$KAFKA_HOME/jars"
  mkdir -p "$work"
  # log4j-slf4j-impl: Kafka logs through slf4j 1.7; the binary distribution ships log4j2 as its backend
  cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>micro-ts.local</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_$KAFKA_SCALA_VERSION</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$KAFKA_LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$KAFKA_LOG4J_VERSION</version></dependency>
  </dependencies>
</project>
POM
  if ! (cd "$work" && mvn -B -q dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$work/jars") >"$work/mvn.log" 2>&1; then
    log "kafka: Maven could not resolve the jars, see $work/mvn.log"
    tail -5 "$work/mvn.log" >&2
    return 1
  fi
  mv "$work/jars" "$KAFKA_HOME/jars"
  echo "$(( $(now_ms) - t ))" >"$KAFKA_HOME/install-ms"
  touch "$KAFKA_HOME/.complete"
  log "kafka: $(ls "$KAFKA_HOME/jars" | wc -l) jars ($(du -sh "$KAFKA_HOME/jars" | cut -f1)) in $(fmt_ms $(( $(now_ms) - t )))"
}

# ---------------------------------------------------------------- install: Consul (built from the Go module proxy)
install_consul() {
  [ -x "$CONSUL_BIN" ] && return 0
  command -v go >/dev/null || { [ -x /usr/local/go/bin/go ] && export PATH=/usr/local/go/bin:$PATH; }
  command -v go >/dev/null || { log "consul: needs Go >= 1.21 on PATH to build Consul $CONSUL_VERSION"; return 1; }
  local t work
  t=$(now_ms)
  work=$CONSUL_HOME/build
  rm -rf "$work"
  mkdir -p "$work"
  log "consul: building github.com/hashicorp/consul@v$CONSUL_VERSION with $(go version | cut -d' ' -f3) (a cold build takes ~8 min on 2 cores; log: $work/build.log)"
  # `go install pkg@version` refuses modules with replace directives (consul has them), so build its
  # main package from a wrapper module that requires it.
  cat >"$work/go.mod" <<MOD
module micro-ts.local/consul-wrapper

go 1.22

require (
	github.com/hashicorp/consul v$CONSUL_VERSION
	github.com/hashicorp/consul/api v$CONSUL_API_VERSION
)
MOD
  printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/hashicorp/consul"\n' >"$work/tools.go"
  # GOTOOLCHAIN=auto: an older local go fetches the toolchain consul asks for from the Go module proxy
  if ! (cd "$work" && export GOTOOLCHAIN=auto GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod" &&
    go mod tidy && go build -trimpath -ldflags '-s -w' -o "$work/consul" github.com/hashicorp/consul) >"$work/build.log" 2>&1; then
    log "consul: build failed, see $work/build.log"
    grep -v '^go: downloading' "$work/build.log" | tail -8 >&2
    return 1
  fi
  mv "$work/consul" "$CONSUL_BIN"
  echo "$(( $(now_ms) - t ))" >"$CONSUL_HOME/build-ms"
  log "consul: built $("$CONSUL_BIN" version | head -1) in $(fmt_ms $(( $(now_ms) - t )))"
}

rc=0
FAILED=()
if wants kafka; then install_kafka || { FAILED+=("kafka (install: $KAFKA_HOME/resolve/mvn.log)"); rc=1; }; fi
if wants consul; then install_consul || { FAILED+=("consul (build: $CONSUL_HOME/build/build.log)"); rc=1; }; fi

# ---------------------------------------------------------------- start
ssd() { start-stop-daemon --start --quiet --background --make-pidfile "$@"; }
declare -A T0=() PIDFILE=() COMM=() LOGF=()
STARTED=()
LAUNCHED=()

# already_up NAME PIDFILE COMM PORT -> 0 when there is nothing to launch
already_up() {
  local s=$1 pf=$2 comm=$3 port=$4
  if alive "$pf" "$comm"; then log "$s: already running (pid $(pid_of "$pf"))"; return 0; fi
  if tcp_open "$port"; then log "$s: port $port busy (not started from $SVC_DIR) - reusing whatever listens there"; return 0; fi
  return 1
}

start_nats() {
  local d=$SVC_DIR/nats
  PIDFILE[nats]=$d/nats.pid COMM[nats]=nats-server LOGF[nats]=$d/nats.log
  already_up nats "$d/nats.pid" nats-server "$NATS_PORT" && return
  [ "$SVC_FRESH" = 1 ] && rm -rf "$d"
  mkdir -p "$d"
  T0[nats]=$(now_ms)
  ssd --pidfile "$d/nats.pid" --output "$d/nats.out" --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p "$NATS_PORT" -m "$NATS_MON_PORT" -js -sd "$d/data" -l "$d/nats.log"
  LAUNCHED+=(nats)
}

start_etcd() {
  local d=$SVC_DIR/etcd
  PIDFILE[etcd]=$d/etcd.pid COMM[etcd]=etcd LOGF[etcd]=$d/etcd.log
  already_up etcd "$d/etcd.pid" etcd "$ETCD_PORT" && return
  [ "$SVC_FRESH" = 1 ] && rm -rf "$d"
  mkdir -p "$d"
  T0[etcd]=$(now_ms)
  ssd --pidfile "$d/etcd.pid" --output "$d/etcd.log" --exec /usr/bin/etcd -- \
    --name test --data-dir "$d/data" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "test=http://127.0.0.1:$ETCD_PEER_PORT" --initial-cluster-state new \
    --logger zap --log-outputs stderr
  LAUNCHED+=(etcd)
}

start_rabbitmq() {
  local d=$SVC_DIR/rabbitmq
  PIDFILE[rabbitmq]=$d/rabbitmq.pid COMM[rabbitmq]=rabbitmq-server LOGF[rabbitmq]=$d/console.log
  # our broker VM may outlive a killed wrapper script: it is still ours and still serving
  if alive "$d/beam.pid" beam.smp && ! alive "$d/rabbitmq.pid" rabbitmq-server; then
    log "rabbitmq: beam.smp pid $(pid_of "$d/beam.pid") running without its wrapper - reusing it"
    PIDFILE[rabbitmq]=$d/beam.pid COMM[rabbitmq]=beam.smp
    return
  fi
  already_up rabbitmq "$d/rabbitmq.pid" rabbitmq-server "$AMQP_PORT" && return
  [ "$SVC_FRESH" = 1 ] && rm -rf "$d/mnesia" "$d/log" "$d/console.log"
  mkdir -p "$d/mnesia" "$d/log"
  printf 'listeners.tcp.default = 127.0.0.1:%s\ndistribution.listener.interface = 127.0.0.1\n' "$AMQP_PORT" >"$d/rabbitmq.conf"
  echo '[].' >"$d/enabled_plugins"
  T0[rabbitmq]=$(now_ms)
  # Erlang port mapper: our own on loopback unless one already listens on 4369; otherwise erl
  # would spawn an unmanaged `epmd -daemon` that outlives the broker.
  if ! alive "$d/epmd.pid" epmd && ! tcp_open 4369; then
    ssd --pidfile "$d/epmd.pid" --exec /usr/bin/epmd -- -address 127.0.0.1
    for _ in $(seq 1 50); do tcp_open 4369 && break; sleep 0.1; done
  fi
  # The real start script, as root (the /usr/sbin wrapper would `su rabbitmq` and miss the cookie).
  # HOME holds this node's Erlang cookie; rabbitmqctl needs the same HOME:
  #   HOME=$d /usr/lib/rabbitmq/bin/rabbitmqctl -n $RABBIT_NODENAME status
  env HOME="$d" ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_NODENAME="$RABBIT_NODENAME" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$AMQP_PORT" RABBITMQ_DIST_PORT="$RABBIT_DIST_PORT" \
    RABBITMQ_CONF_ENV_FILE=/dev/null RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$d/advanced.config" RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$d/mnesia" RABBITMQ_LOG_BASE="$d/log" RABBITMQ_PID_FILE="$d/beam.pid" \
    start-stop-daemon --start --quiet --background --make-pidfile --pidfile "$d/rabbitmq.pid" \
    --chdir "$d" --output "$d/console.log" --exec /usr/lib/rabbitmq/bin/rabbitmq-server
  LAUNCHED+=(rabbitmq)
}

start_kafka() {
  local d=$SVC_DIR/kafka java_bin
  PIDFILE[kafka]=$d/kafka.pid COMM[kafka]=java LOGF[kafka]=$d/kafka.log
  already_up kafka "$d/kafka.pid" java "$KAFKA_PORT" && return
  [ "$SVC_FRESH" = 1 ] && rm -rf "$d"
  mkdir -p "$d"
  java_bin=$(readlink -f "$(command -v java)")
  cat >"$d/server.properties" <<PROPS
# single node, KRaft mode, combined broker + controller, loopback only
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$d/data
auto.create.topics.enable=true
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
share.coordinator.state.topic.num.partitions=1
group.initial.rebalance.delay.ms=0
PROPS
  printf '%s\n' 'status = warn' 'appender.out.type = Console' 'appender.out.name = OUT' \
    'appender.out.layout.type = PatternLayout' 'appender.out.layout.pattern = [%d] %p %m (%c)%n' \
    "rootLogger.level = \${sys:micro.log.level:-INFO}" 'rootLogger.appenderRef.out.ref = OUT' \
    'logger.state.name = state.change.logger' 'logger.state.level = WARN' >"$d/log4j2.properties"
  local jopts=(-Xms128m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$d/log4j2.properties" -cp "$KAFKA_HOME/jars/*")
  T0[kafka]=$(now_ms)
  if [ ! -f "$d/data/meta.properties" ]; then
    # cluster id: 16 random bytes, URL-safe base64 without padding (what `kafka-storage random-uuid`
    # prints); passed as --cluster-id=ID since an id may start with '-' 
    local cid
    cid=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    if ! "$java_bin" "${jopts[@]}" -Dmicro.log.level=WARN kafka.tools.StorageTool format \
      --cluster-id="$cid" --config="$d/server.properties" >"$d/format.log" 2>&1; then
      log "kafka: storage format failed, see $d/format.log"
      tail -n 5 "$d/format.log" | sed 's/^/    /' >&2
      return 1
    fi
    log "kafka: formatted $d/data (cluster id $cid) in $(fmt_ms $(( $(now_ms) - T0[kafka] )))"
  fi
  ssd --pidfile "$d/kafka.pid" --chdir "$d" --output "$d/kafka.log" --exec "$java_bin" -- \
    "${jopts[@]}" kafka.Kafka "$d/server.properties"
  LAUNCHED+=(kafka)
}

start_consul() {
  local d=$SVC_DIR/consul
  PIDFILE[consul]=$d/consul.pid COMM[consul]=consul LOGF[consul]=$d/consul.log
  already_up consul "$d/consul.pid" consul "$CONSUL_HTTP_PORT" && return
  [ "$SVC_FRESH" = 1 ] && rm -rf "$d"
  mkdir -p "$d/data"
  T0[consul]=$(now_ms)
  # dev mode (in-memory server, no ACLs), everything on loopback, no DNS, no gRPC.
  # CONSUL_MODE=server: a single-server agent that keeps its state (the catalog, and the services
  # registered with the agent) in $d/data, so a restart with SVC_FRESH=0 comes back with them.
  local mode=(-dev)
  [ "$CONSUL_MODE" = server ] && mode=(-server -bootstrap-expect 1 -ui=false)
  ssd --pidfile "$d/consul.pid" --chdir "$d" --output "$d/consul.log" --exec "$CONSUL_BIN" -- \
    agent "${mode[@]}" -node micro-test -disable-host-node-id -data-dir "$d/data" \
    -bind 127.0.0.1 -advertise 127.0.0.1 -client 127.0.0.1 \
    -http-port "$CONSUL_HTTP_PORT" -dns-port -1 -grpc-port -1 -grpc-tls-port -1 \
    -server-port "$CONSUL_SERVER_PORT" -serf-lan-port "$CONSUL_SERF_LAN_PORT" -serf-wan-port "$CONSUL_SERF_WAN_PORT"
  LAUNCHED+=(consul)
}

# ---------------------------------------------------------------- readiness probes
ready_nats() { http_get "$NATS_MON_PORT" /healthz | grep -q '"status": *"ok"'; }
ready_etcd() { http_get "$ETCD_PORT" /health | grep -q '"health": *"true"'; }
# AMQP 0-9-1: send the protocol header; a broker that is up answers with a method frame (type 1).
ready_rabbitmq() {
  [ "$(timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$AMQP_PORT && printf 'AMQP\x00\x00\x09\x01' >&3 && head -c1 <&3 | od -An -tu1" 2>/dev/null | tr -d ' ')" = 1 ]
}
# Kafka: a Metadata v4 request (all topics); the answer lists this broker as 127.0.0.1.
ready_kafka() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$KAFKA_PORT && printf '\x00\x00\x00\x14\x00\x03\x00\x04\x00\x00\x00\x01\x00\x05micro\xff\xff\xff\xff\x00' >&3 && head -c 31 <&3" 2>/dev/null |
    tr -c '0-9.' ' ' | grep -q '127\.0\.0\.1'
}
# Consul: a leader is elected
ready_consul() {
  local body
  body=$(http_get "$CONSUL_HTTP_PORT" /v1/status/leader | tail -1)
  [[ $body =~ ^\"[^\"]+\"$ ]]
}

# slowest first (Kafka formats its storage synchronously), so the others' ready times are their own
for s in kafka rabbitmq consul etcd nats; do
  wants "$s" || continue
  case " ${FAILED[*]:-} " in *" $s ("*) continue ;; esac
  "start_$s" || { FAILED+=("$s (start: $SVC_DIR/$s)"); rc=1; }
done

# ---------------------------------------------------------------- wait for all, in parallel, bounded
declare -A READY_MS=()
pending=()
for s in "${WANT[@]}"; do
  case " ${FAILED[*]:-} " in *" $s ("*) continue ;; esac
  pending+=("$s")
done
deadline=$(( $(now_ms) + SVC_TIMEOUT * 1000 ))
while [ ${#pending[@]} -gt 0 ]; do
  still=()
  for s in "${pending[@]}"; do
    if "ready_$s"; then
      if [ -n "${T0[$s]:-}" ]; then
        READY_MS[$s]=$(( $(now_ms) - T0[$s] ))
        STARTED+=("$s")
        log "$s: ready in $(fmt_ms "${READY_MS[$s]}") since launch"
      else
        log "$s: ready (was already running)"
      fi
      continue
    fi
    if [ -n "${T0[$s]:-}" ] && ! alive "${PIDFILE[$s]}" "${COMM[$s]}"; then
      log "$s: FAILED - its process exited; see ${LOGF[$s]}"
      tail -n 5 "${LOGF[$s]}" 2>/dev/null | sed 's/^/    /' >&2 || true
      FAILED+=("$s (log: ${LOGF[$s]})"); rc=1
      continue
    fi
    if [ "$(now_ms)" -ge "$deadline" ]; then
      log "$s: FAILED - not ready after ${SVC_TIMEOUT}s; see ${LOGF[$s]}"
      FAILED+=("$s (log: ${LOGF[$s]})"); rc=1
      continue
    fi
    still+=("$s")
  done
  pending=("${still[@]+"${still[@]}"}")
  [ ${#pending[@]} -gt 0 ] && sleep 0.1
done

tmp=$(mktemp "$SVC_DIR/.env.XXXXXX")
cat >"$tmp" <<ENV
NATS_URL=nats://127.0.0.1:$NATS_PORT
ETCD_ENDPOINTS=http://127.0.0.1:$ETCD_PORT
AMQP_URL=amqp://guest:guest@127.0.0.1:$AMQP_PORT
KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT
CONSUL_HTTP_ADDR=127.0.0.1:$CONSUL_HTTP_PORT
ENV
chmod 644 "$tmp"
mv "$tmp" "$SVC_DIR/env"

# summary: pid and resident memory of what runs from $SVC_DIR
for s in "${WANT[@]}"; do
  pf=${PIDFILE[$s]:-} pid=
  [ -n "$pf" ] && pid=$(pid_of "$pf" || true)
  [ "$s" = rabbitmq ] && alive "$SVC_DIR/rabbitmq/beam.pid" beam.smp && pid=$(pid_of "$SVC_DIR/rabbitmq/beam.pid")
  if [ -n "$pid" ] && [ -r "/proc/$pid/status" ]; then log "  $s: pid $pid, rss $(rss_mb "$pid") MB"; fi
done
log "total $(fmt_ms $(( $(now_ms) - T_START ))); started now: ${STARTED[*]:-none}; env in $SVC_DIR/env"
if [ $rc != 0 ]; then
  log "NOT READY: ${FAILED[*]}"
fi
exit $rc
