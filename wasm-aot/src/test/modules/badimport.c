/*
 * badimport.c -- misbehaving module: imports something the host does not provide. Lightcone C kit.
 * Built three times by build.sh with -DBADIMPORT_MODE=<n>:
 *   1 badimport_name.wasm     imports spacetime_10.0::no_such_function (i32, i32) -> i32
 *   2 badimport_major.wasm    imports spacetime_11.0::console_log (a major ABI version the host lacks)
 *   3 badimport_minor.wasm    imports spacetime_10.99::console_log (a minor ABI version newer than 10.5)
 * Otherwise a valid V10 module: reducer 0 = ok(), which calls the bad import (so the linker keeps it).
 */
#include "kit/stdb.h"
#ifndef BADIMPORT_MODE
#define BADIMPORT_MODE 1
#endif

#if BADIMPORT_MODE == 1
STDB_IMPORT("10.0", no_such_function) int32_t no_such_function(uint32_t a, uint32_t b);
static void bad_call(void) { no_such_function(1, 2); }
#else
#if BADIMPORT_MODE == 2
#define BAD_VER "11.0"
#else
#define BAD_VER "10.99"
#endif
__attribute__((import_module("spacetime_" BAD_VER), import_name("console_log")))
void console_log_bad(uint32_t level, const uint8_t *target, uint32_t target_len, const uint8_t *filename,
                     uint32_t filename_len, uint32_t line_number, const uint8_t *message, uint32_t message_len);
static void bad_call(void) { console_log_bad(2, 0, 0, 0, 0, STDB_NO_LINE, (const uint8_t *)"hi", 2); }
#endif

static const md_reducer REDUCERS[] = { { .name = "ok", .params = "{}", .visibility = MD_FN_CLIENT_CALLABLE } };
static void describe(bsatn_buf *b) {
    md10 m; md10_begin(&m, b);
    md10_typespace(&m, 0, 0);
    md10_reducers(&m, REDUCERS, 1);
    md10_end(&m);
}
STDB_DEFINE_DESCRIBE(describe)
static int32_t ok(stdb_ctx *c) { (void)c; bad_call(); return 0; }
STDB_DEFINE_REDUCERS(ok)
