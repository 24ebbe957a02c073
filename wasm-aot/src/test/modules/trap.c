/*
 * trap.c -- misbehaving module: reducers that trap, Lightcone C kit. RawModuleDef V10.
 * ABI imports: spacetime_10.0, spacetime_10.1.
 *
 * Typespace: 0 = T {x: u32}
 * Tables:    t (@0) public, no pk
 * Reducers:
 *   0 boom()                 __builtin_trap() (wasm `unreachable`)
 *   1 ok()                   does nothing, returns 0 (the instance still works / a fresh one does)
 *   2 insert_then_trap(x: u32)   inserts T{x}, then traps (the insert must be rolled back)
 *   3 div_zero()             i32.div_s by zero (integer divide trap)
 *   4 oob()                  loads from address 0xFFFFFFF0 (out-of-bounds memory trap)
 *   5 fail(msg: String)      user error: returns 1 with msg in the err sink
 *   6 stack_overflow(n: u32) unbounded recursion with 256-byte frames. The 1 MiB shadow stack sits at the
 *                            bottom of linear memory, so it usually traps first with an OUT-OF-BOUNDS access
 *                            (stack pointer wraps below 0); an engine call-depth limit may hit first instead
 */
#include "kit/stdb.h"

static const char *const TYPESPACE[] = { "{x: u32}" };
static const md_typename TYPES[] = { { "T", 0, 1 } };
static const md_table TABLES[] = { { .name = "t", .type_ref = 0, .access = MD_PUBLIC } };
static const md_reducer REDUCERS[] = {
    { .name = "boom", .params = "{}", .visibility = MD_FN_CLIENT_CALLABLE },
    { .name = "ok", .params = "{}", .visibility = MD_FN_CLIENT_CALLABLE },
    { .name = "insert_then_trap", .params = "{x: u32}", .visibility = MD_FN_CLIENT_CALLABLE },
    { .name = "div_zero", .params = "{}", .visibility = MD_FN_CLIENT_CALLABLE },
    { .name = "oob", .params = "{}", .visibility = MD_FN_CLIENT_CALLABLE },
    { .name = "fail", .params = "{msg: str}", .visibility = MD_FN_CLIENT_CALLABLE },
    { .name = "stack_overflow", .params = "{n: u32}", .visibility = MD_FN_CLIENT_CALLABLE },
};
static void describe(bsatn_buf *b) {
    md10 m; md10_begin(&m, b);
    md10_typespace(&m, TYPESPACE, 1); md10_types(&m, TYPES, 1); md10_tables(&m, TABLES, 1);
    md10_reducers(&m, REDUCERS, 7);
    md10_end(&m);
}
STDB_DEFINE_DESCRIBE(describe)

static int32_t boom(stdb_ctx *c) { (void)c; __builtin_trap(); }
static int32_t ok(stdb_ctx *c) { (void)c; return 0; }
static int32_t insert_then_trap(stdb_ctx *c) {
    uint32_t x = br_u32(&c->r);
    STDB_ARGS_DONE(c, "insert_then_trap");
    TableId t; STDB_TRY(c, "table_id_from_name(t)", stdb_table_id("t", &t));
    uint8_t row[4]; bsatn_buf b = { row, 0, 4 }; bw_u32(&b, x); uint32_t len = 4;
    STDB_TRY(c, "datastore_insert_bsatn(t)", datastore_insert_bsatn(t, row, &len));
    __builtin_trap();
}
static volatile int32_t zero = 0;
static int32_t div_zero(stdb_ctx *c) { (void)c; return 10 / zero; }
static volatile uint32_t far_addr = 0xFFFFFFF0u;
static int32_t oob(stdb_ctx *c) { (void)c; return *(volatile int32_t *)far_addr; }
static int32_t fail(stdb_ctx *c) {
    uint32_t n; const uint8_t *msg = br_str(&c->r, &n);
    STDB_ARGS_DONE(c, "fail");
    stdb_sink_write(c->err, msg, n);
    return 1;
}
#pragma clang diagnostic ignored "-Winfinite-recursion"
__attribute__((noinline)) static uint32_t recurse(volatile uint32_t n) {
    volatile uint8_t pad[256]; pad[n & 255] = (uint8_t)n;
    return recurse(n + 1) + pad[(n + 1) & 255];
}
static int32_t stack_overflow(stdb_ctx *c) { return (int32_t)recurse(br_u32(&c->r)); }
STDB_DEFINE_REDUCERS(boom, ok, insert_then_trap, div_zero, oob, fail, stack_overflow)
