#!/usr/bin/env bash
# build.sh -- rebuilds the bench's own C modules into ../resources/modules/*.wasm with the flags and the module kit
# of wasm-aot/src/test/modules (see its README: clang-19 + lld-19, reproducible, no absolute path in the output).
#   ./build.sh     build, wasm-validate (when wabt is installed), print sha256 + size
set -euo pipefail
export LC_ALL=C
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KIT_DIR="$(cd "$HERE/../../../../wasm-aot/src/test/modules" && pwd)"
OUT="$(cd "$HERE/.." && pwd)/resources/modules"
cd "$HERE"
# shellcheck source=../../../../wasm-aot/src/test/modules/cflags.sh
source "$KIT_DIR/cflags.sh" "$HERE"
CFLAGS+=("-ffile-prefix-map=$KIT_DIR=kit-root" -I "$KIT_DIR")
for name in fanout; do
  clang-19 "${CFLAGS[@]}" -o "$OUT/$name.wasm" "$name.c"
  if command -v wasm-validate >/dev/null 2>&1; then wasm-validate "$OUT/$name.wasm"; fi
  (cd "$OUT" && printf '%s  %7d  %s\n' "$(sha256sum "$name.wasm" | cut -c1-64)" "$(stat -c %s "$name.wasm")" "$name.wasm")
done
