/*
 * loop.c -- misbehaving module: reducers that never return, Lightcone C kit. RawModuleDef V10.
 * ABI imports: spacetime_10.0, spacetime_10.1. Used to test fuel / timeouts / interruption.
 *
 * Tables:    none (typespace empty)
 * Reducers:
 *   0 spin()            endless loop of pure wasm (no host calls)
 *   1 spin_host()       endless loop calling console_timer_start/console_timer_end (host calls in the loop)
 *   2 ok()              returns 0 immediately
 *   3 spin_for(n: u64)  counts to n then returns 0 (bounded work, for calibrating fuel)
 */
#include "kit/stdb.h"

static const md_reducer REDUCERS[] = {
    { .name = "spin", .params = "{}", .visibility = MD_FN_CLIENT_CALLABLE },
    { .name = "spin_host", .params = "{}", .visibility = MD_FN_CLIENT_CALLABLE },
    { .name = "ok", .params = "{}", .visibility = MD_FN_CLIENT_CALLABLE },
    { .name = "spin_for", .params = "{n: u64}", .visibility = MD_FN_CLIENT_CALLABLE },
};
static void describe(bsatn_buf *b) {
    md10 m; md10_begin(&m, b);
    md10_typespace(&m, 0, 0);
    md10_reducers(&m, REDUCERS, 4);
    md10_end(&m);
}
STDB_DEFINE_DESCRIBE(describe)

static volatile uint64_t counter;
static int32_t spin(stdb_ctx *c) { (void)c; for (;;) counter++; }
static int32_t spin_host(stdb_ctx *c) {
    (void)c;
    for (;;) console_timer_end(console_timer_start((const uint8_t *)"spin", 4));
}
static int32_t ok(stdb_ctx *c) { (void)c; return 0; }
static int32_t spin_for(stdb_ctx *c) {
    uint64_t n = br_u64(&c->r);
    STDB_ARGS_DONE(c, "spin_for");
    for (uint64_t i = 0; i < n; i++) counter++;
    return 0;
}
STDB_DEFINE_REDUCERS(spin, spin_host, ok, spin_for)
