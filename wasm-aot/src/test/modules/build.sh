#!/usr/bin/env bash
# build.sh -- rebuilds every Lightcone C test module into ../resources/modules/*.wasm, reproducibly.
#
#   ./build.sh            build, wasm-validate, print imports/exports, decode every __describe_module__
#                         (node + python3; good modules must decode, baddef_* must NOT), run smoke.mjs,
#                         print sha256 + sizes
#   ./build.sh --verify   additionally build a second time into a temp dir and require byte-identical output
#
# Toolchain: Debian clang-19 + lld-19 (wasm-ld) + wabt; installed with apt-get when missing.
# Determinism: fixed flags, no debug info (no -g), -ffile-prefix-map for any path that could leak,
# one translation unit per module, sorted inputs, LC_ALL=C.
set -euo pipefail
export LC_ALL=C
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$(cd "$HERE/.." && pwd)/resources/modules"
cd "$HERE"

need_install=0
for tool in clang-19 wasm-ld-19 wasm-validate wasm-objdump; do
  command -v "$tool" >/dev/null 2>&1 || need_install=1
done
if [ "$need_install" = 1 ]; then
  echo "== installing toolchain (clang-19 lld-19 wabt)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update
  $SUDO apt-get install -y clang-19 lld-19 wabt
fi

# shellcheck source=cflags.sh
source "$HERE/cflags.sh" "$HERE"

# name:source:extra-flags
MODULES=(
  quickstart:quickstart.c:
  keynote:keynote.c:
  everything:everything.c:
  v9:v9.c:
  big:big.c:
  trap:trap.c:
  loop:loop.c:
  memhog:memhog.c:
  noexports:noexports.c:
  rls:rls.c:
  baddef_garbage:baddef.c:-DBADDEF_MODE=1
  baddef_truncated:baddef.c:-DBADDEF_MODE=2
  baddef_empty:baddef.c:-DBADDEF_MODE=3
  badimport_name:badimport.c:-DBADIMPORT_MODE=1
  badimport_major:badimport.c:-DBADIMPORT_MODE=2
  badimport_minor:badimport.c:-DBADIMPORT_MODE=3
)

build_all() {  # $1 = output dir
  local dir="$1"; mkdir -p "$dir"
  for spec in "${MODULES[@]}"; do
    IFS=: read -r name src extra <<<"$spec"
    # shellcheck disable=SC2086
    clang-19 "${CFLAGS[@]}" $extra -o "$dir/$name.wasm" "$src"
  done
}

echo "== building into $OUT"
build_all "$OUT"

echo "== wasm-validate"
for spec in "${MODULES[@]}"; do
  name="${spec%%:*}"
  wasm-validate "$OUT/$name.wasm"
  echo "ok $name.wasm"
done

echo "== imports / exports"
for spec in "${MODULES[@]}"; do
  name="${spec%%:*}"
  echo "--- $name.wasm"
  wasm-objdump -x -j Import "$OUT/$name.wasm" | grep -E '^ - ' || true
  wasm-objdump -x -j Export "$OUT/$name.wasm" | grep -E '^ - ' || true
done

if command -v node >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
  echo "== __describe_module__ decode check"
  for spec in "${MODULES[@]}"; do
    name="${spec%%:*}"
    if python3 dump_moduledef.py --wasm "$OUT/$name.wasm" > "/tmp/lightcone-moduledef-$name.txt"; then
      case "$name" in
        baddef_*) echo "FAIL $name: def decoded but must be invalid"; exit 1 ;;
        *) echo "ok $name: $(head -1 "/tmp/lightcone-moduledef-$name.txt")" ;;
      esac
    else
      case "$name" in
        baddef_*) echo "ok $name (invalid as intended): $(cat "/tmp/lightcone-moduledef-$name.txt")" ;;
        *) echo "FAIL $name:"; cat "/tmp/lightcone-moduledef-$name.txt"; exit 1 ;;
      esac
    fi
  done
  echo "== smoke run (node fake host: quickstart, keynote, trap reducers)"
  node smoke.mjs "$OUT/"
else
  echo "== (node or python3 missing: skipping the __describe_module__ decode check and smoke run)"
fi

echo "== sha256 / size"
(cd "$OUT" && for f in $(ls *.wasm | sort); do printf '%s  %7d  %s\n' "$(sha256sum "$f" | cut -c1-64)" "$(stat -c %s "$f")" "$f"; done)

if [ "${1:-}" = "--verify" ]; then
  echo "== reproducibility: second build in a temp dir"
  TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
  build_all "$TMP"
  if (cd "$OUT" && sha256sum $(ls *.wasm | sort)) | (cd "$TMP" && sha256sum -c --quiet -); then
    echo "ok: second build is byte-identical"
  else
    echo "FAIL: second build differs"; exit 1
  fi
fi
