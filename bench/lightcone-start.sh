# shellcheck shell=bash
# Sourced by bench/keynote.sh and bench/fanout.sh (which set $root).
#   start_lightcone TMP NAME=MODULE.wasm
# starts `lightcone start` as its own process (data in TMP/lightcone-data, output in TMP/lightcone.log) on a free
# loopback port serving the module as database NAME, waits until it listens and sets lc_pid and lc_url
# (http://127.0.0.1:PORT); exits 1 with its output when it does not start.
start_lightcone() {
  local tmp="$1" module="$2" line
  "$root/lightcone" start --data-dir "$tmp/lightcone-data" --listen 127.0.0.1:0 \
    --module "$module" >"$tmp/lightcone.log" 2>&1 &
  lc_pid=$!
  lc_url=""
  for _ in $(seq 1 600); do
    line="$(grep -m1 '^Lightcone listening on ws://' "$tmp/lightcone.log" || true)"
    if [ -n "$line" ]; then
      lc_url="http://$(sed -E 's|^Lightcone listening on ws://([^ ]+).*|\1|' <<<"$line")"; break
    fi
    kill -0 "$lc_pid" 2>/dev/null || { cat "$tmp/lightcone.log" >&2; echo "lightcone start failed" >&2; exit 1; }
    sleep 0.5
  done
  [ -n "$lc_url" ] || { cat "$tmp/lightcone.log" >&2; echo "lightcone did not start" >&2; exit 1; }
  echo "# lightcone at $lc_url (pid $lc_pid)" >&2
}
