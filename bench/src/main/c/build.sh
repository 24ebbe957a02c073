#!/usr/bin/env bash
# build.sh -- rebuilds the benchmark's own C modules (fanout.c, ledger.c) into ../resources/modules/*.wasm,
# reproducibly.
#
#   ./build.sh            build, wasm-validate, decode __describe_module__ (node + python3), print sha256 + size
#
# Same toolchain, kit and flags as the test modules (wasm-aot/src/test/modules/build.sh, cflags.sh): Debian
# clang-19 + lld-19, no debug info, the repository root mapped to "." so no absolute path reaches the .wasm.
set -euo pipefail
export LC_ALL=C
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../../.." && pwd)"
MODULES="$ROOT/wasm-aot/src/test/modules"
OUT="$HERE/../resources/modules"
cd "$HERE"

for tool in clang-19 wasm-ld-19; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$tool is missing: run $MODULES/build.sh once (it installs the toolchain)"; exit 1; }
done
# shellcheck source=../../../../wasm-aot/src/test/modules/cflags.sh
source "$MODULES/cflags.sh" "$ROOT"

for name in fanout ledger; do
  clang-19 "${CFLAGS[@]}" -I "$MODULES" -o "$OUT/$name.wasm" "$name.c"
  if command -v wasm-validate >/dev/null 2>&1; then
    wasm-validate "$OUT/$name.wasm" && echo "ok: wasm-validate $name.wasm"
  fi
  if command -v node >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
    python3 "$MODULES/dump_moduledef.py" --wasm "$OUT/$name.wasm"
  fi
  printf '%s  %7d  %s\n' "$(sha256sum "$OUT/$name.wasm" | cut -c1-64)" "$(stat -c %s "$OUT/$name.wasm")" "$name.wasm"
done
