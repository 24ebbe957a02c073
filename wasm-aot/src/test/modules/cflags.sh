# cflags.sh -- the clang flags of every Lightcone C module (sourced by build.sh here and by examples/*/build.sh).
# Sets the array CFLAGS; $1 = the directory whose absolute path is mapped to "." (no absolute path in a .wasm).
# shellcheck shell=bash disable=SC2034
CFLAGS=(--target=wasm32 -O2 -nostdlib -ffreestanding -fuse-ld=lld
        -std=gnu11 -Wall -Wextra -Werror -Wno-unused-function -Wno-missing-field-initializers
        "-ffile-prefix-map=$1=." -fno-ident
        -Wl,--no-entry -Wl,--export-memory -Wl,-z,stack-size=1048576)
