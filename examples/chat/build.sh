#!/usr/bin/env bash
# build.sh -- rebuilds chat.wasm from chat.c with the Lightcone C module kit, reproducibly.
#
#   ./build.sh            build, wasm-validate, decode __describe_module__ (node + python3), print sha256 + size
#   ./build.sh --verify   additionally build a second time into a temp dir and require byte-identical output
#
# Same toolchain and flags as the test modules (wasm-aot/src/test/modules/build.sh, cflags.sh): Debian
# clang-19 + lld-19, no debug info, the repository root mapped to "." so no absolute path reaches the .wasm.
set -euo pipefail
export LC_ALL=C
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
MODULES="$ROOT/wasm-aot/src/test/modules"
cd "$HERE"

for tool in clang-19 wasm-ld-19; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$tool is missing: run $MODULES/build.sh once (it installs the toolchain)"; exit 1; }
done
# shellcheck source=../../wasm-aot/src/test/modules/cflags.sh
source "$MODULES/cflags.sh" "$ROOT"

build() {  # $1 = output file
  clang-19 "${CFLAGS[@]}" -o "$1" chat.c
}

build chat.wasm
if command -v wasm-validate >/dev/null 2>&1; then
  wasm-validate chat.wasm && echo "ok: wasm-validate"
fi
if command -v node >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
  python3 "$MODULES/dump_moduledef.py" --wasm chat.wasm
fi
printf '%s  %7d  %s\n' "$(sha256sum chat.wasm | cut -c1-64)" "$(stat -c %s chat.wasm)" chat.wasm

if [ "${1:-}" = "--verify" ]; then
  TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
  build "$TMP/chat.wasm"
  if cmp -s chat.wasm "$TMP/chat.wasm"; then echo "ok: second build is byte-identical"; else echo "FAIL: second build differs"; exit 1; fi
fi
