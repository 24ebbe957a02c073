#!/usr/bin/env bash
# bench/run fanout: the subscription fan-out benchmark with Redis as the peer in one run (see docs/benchmarks.md).
#   bench/fanout.sh BENCHMARKS_JAR OUT_JSON [FanoutMain options...]
# Starts `lightcone start` serving bench's fanout.wasm as database "fanout" as its own process (server CPU and RSS
# from /proc) and a throwaway redis-server on loopback (Debian's redis-server, installed with apt-get when missing),
# runs FanoutMain against both, then stops both and removes the temporary directory.
# FANOUT_PEERS="redis" picks the peers (empty: Lightcone only); FANOUT_REDIS_PORT the port [63790];
# LIGHTCONE_JAVA_OPTS goes to the server's JVM (e.g. -XX:StartFlightRecording=...).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$1"; out_json="$2"; shift 2
peers="${FANOUT_PEERS-redis}"
redis_port="${FANOUT_REDIS_PORT:-63790}"
tmp="$(mktemp -d /tmp/lightcone-fanout.XXXXXX)"
lc_pid=""; redis_pid=""
cleanup() {
  for pid in "$lc_pid" "$redis_pid"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# --- Lightcone, as its own process -------------------------------------------------------------------------------
# shellcheck source=lightcone-start.sh
source "$root/bench/lightcone-start.sh"
start_lightcone "$tmp" "fanout=$root/bench/src/main/resources/modules/fanout.wasm"
args=(--lightcone "$lc_url" --lightcone-pid "$lc_pid")

# --- Redis: Debian's package, a throwaway server without persistence ----------------------------------------------
if [[ " $peers " == *" redis "* ]]; then
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "# installing Debian's redis-server" >&2
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
    else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2; fi
  fi
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize no \
    --maxclients 10100 --dir "$tmp" >"$tmp/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 100); do
    grep -q "Ready to accept connections" "$tmp/redis.log" && break
    kill -0 "$redis_pid" 2>/dev/null || { cat "$tmp/redis.log" >&2; echo "redis-server failed" >&2; exit 1; }
    sleep 0.1
  done
  echo "# redis $(redis-server --version | awk '{print $3}') on 127.0.0.1:$redis_port (pid $redis_pid)" >&2
  args+=(--redis "127.0.0.1:$redis_port" --redis-pid "$redis_pid")
fi

java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Xmx4g -cp "$jar" io.lightcone.bench.fanout.FanoutMain \
  "${args[@]}" --out "$out_json" "$@"
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
