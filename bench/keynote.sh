#!/usr/bin/env bash
# bench/run keynote: the keynote transfer benchmark with its peers in one run (see docs/benchmarks.md).
#   bench/keynote.sh BENCHMARKS_JAR OUT_JSON [KeynoteMain options...]
# Starts a durable `lightcone start` as its own process (server CPU from /proc) and a throwaway PostgreSQL cluster in
# a temporary directory on a loopback port, runs KeynoteMain, then stops both and removes the temporary directory.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$1"; out_json="$2"; shift 2
peers="${KEYNOTE_PEERS-postgres sqlite}"
pg_port="${KEYNOTE_PG_PORT:-54329}"
tmp="$(mktemp -d /tmp/lightcone-keynote.XXXXXX)"
chmod 755 "$tmp"
lc_pid=""; pg_bin=""; pg_data="$tmp/pg"
as_pg() {  # runs a PostgreSQL binary as the cluster's owner: the postgres user when root, else the current user
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
  if [ -n "$lc_pid" ] && kill -0 "$lc_pid" 2>/dev/null; then
    kill -TERM "$lc_pid"; wait "$lc_pid" 2>/dev/null || true
  fi
  if [ -n "$pg_bin" ] && [ -f "$pg_data/postmaster.pid" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# --- Lightcone: durable, as its own process ---------------------------------------------------------------------
# shellcheck source=lightcone-start.sh
source "$root/bench/lightcone-start.sh"
start_lightcone "$tmp" "keynote=$root/bench/src/main/resources/modules/keynote.wasm"
args=(--lightcone "$lc_url" --lightcone-pid "$lc_pid")

# --- PostgreSQL: Debian's package, a throwaway cluster, settings of performance-anchors §6 -----------------------
if [[ " $peers " == *" postgres "* ]]; then
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  if [ -z "$pg_bin" ]; then
    echo "# installing Debian's postgresql" >&2
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2; fi
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  fi
  pg_user="$(id -un)"; [ "$(id -u)" = 0 ] && pg_user=postgres
  mkdir -p "$pg_data"; [ "$(id -u)" = 0 ] && chown postgres "$pg_data"
  as_pg "$pg_bin/initdb" -D "$pg_data" -U "$pg_user" --auth=trust -E UTF8 >"$tmp/initdb.log" 2>&1 \
    || { cat "$tmp/initdb.log" >&2; exit 1; }
  as_pg "$pg_bin/pg_ctl" -D "$pg_data" -w -l "$pg_data/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_data -c shared_buffers=512MB -c max_connections=200" \
    start >/dev/null
  pg_pid="$(head -1 "$pg_data/postmaster.pid")"
  echo "# postgresql $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port (pid $pg_pid)" >&2
  args+=(--postgres "jdbc:postgresql://127.0.0.1:$pg_port/postgres?user=$pg_user" --postgres-pid "$pg_pid")
fi
if [[ " $peers " == *" sqlite "* ]]; then
  args+=(--sqlite "$tmp/sqlite")
fi

java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Xmx4g -cp "$jar" io.lightcone.bench.keynote.KeynoteMain \
  "${args[@]}" --out "$out_json" "$@"
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
