/*
 * baddef.c -- misbehaving module: __describe_module__ writes an invalid RawModuleDef, Lightcone C kit.
 * Built three times by build.sh with -DBADDEF_MODE=<n>:
 *   1 baddef_garbage.wasm    writes 64 pseudo-random bytes starting with 0xff (no RawModuleDef tag > 2)
 *   2 baddef_truncated.wasm  writes a valid V10 def (one table `t {x: u32}`, one reducer `ok()`) minus
 *                            its last 5 bytes (BSATN decode must fail with "unexpected end")
 *   3 baddef_empty.wasm      writes nothing at all
 * It also exports a working __call_reducer__ (0 = ok() returns 0) so only the def is broken.
 * ABI imports: spacetime_10.0, spacetime_10.1.
 */
#include "kit/stdb.h"
#pragma clang diagnostic ignored "-Wunused-const-variable"
#pragma clang diagnostic ignored "-Wunused-variable"
#ifndef BADDEF_MODE
#define BADDEF_MODE 1
#endif

static const char *const TYPESPACE[] = { "{x: u32}" };
static const md_table TABLES[] = { { .name = "t", .type_ref = 0, .access = MD_PUBLIC } };
static const md_reducer REDUCERS[] = { { .name = "ok", .params = "{}", .visibility = MD_FN_CLIENT_CALLABLE } };

STDB_EXPORT(__describe_module__) void __describe_module__(BytesSink sink) {
    uint32_t mark = stdb_heap_mark();
    bsatn_buf b = {0};
#if BADDEF_MODE == 1
    uint32_t x = 0x9e3779b9u;
    bw_u8(&b, 0xff);
    for (int i = 1; i < 64; i++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; bw_u8(&b, (uint8_t)x); }
    stdb_sink_write(sink, b.data, b.len);
#elif BADDEF_MODE == 2
    md10 m; md10_begin(&m, &b);
    md10_typespace(&m, TYPESPACE, 1); md10_tables(&m, TABLES, 1); md10_reducers(&m, REDUCERS, 1);
    md10_end(&m);
    stdb_sink_write(sink, b.data, b.len - 5);
#else
    (void)TYPESPACE; (void)TABLES; (void)REDUCERS;
    uint32_t zero = 0; bytes_sink_write(sink, (const uint8_t *)"", &zero);
#endif
    stdb_heap_release(mark);
}
static int32_t ok(stdb_ctx *c) { (void)c; return 0; }
STDB_DEFINE_REDUCERS(ok)
