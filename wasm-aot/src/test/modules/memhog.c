/*
 * memhog.c -- misbehaving module: reducers that keep growing linear memory, Lightcone C kit.
 * RawModuleDef V10. ABI imports: spacetime_10.0, spacetime_10.1.
 *
 * Tables:    none
 * Reducers:
 *   0 hog()             memory.grow(1) until it returns -1, then returns 1 (user error) with
 *                       "memory.grow refused after <n> pages; memory is <m> pages" -- i.e. tests the
 *                       host's memory cap without trapping
 *   1 hog_touch()       memory.grow(16) and writes one byte into every new page, forever; when grow
 *                       fails it traps (so the instance must be discarded)
 *   2 pages()           returns 1 with "<current memory pages>" in the err sink (diagnostic)
 *   3 ok()              returns 0
 */
#include "kit/stdb.h"

static const md_reducer REDUCERS[] = {
    { .name = "hog", .params = "{}", .visibility = MD_FN_CLIENT_CALLABLE },
    { .name = "hog_touch", .params = "{}", .visibility = MD_FN_CLIENT_CALLABLE },
    { .name = "pages", .params = "{}", .visibility = MD_FN_CLIENT_CALLABLE },
    { .name = "ok", .params = "{}", .visibility = MD_FN_CLIENT_CALLABLE },
};
static void describe(bsatn_buf *b) {
    md10 m; md10_begin(&m, b);
    md10_typespace(&m, 0, 0);
    md10_reducers(&m, REDUCERS, 4);
    md10_end(&m);
}
STDB_DEFINE_DESCRIBE(describe)

static int32_t hog(stdb_ctx *c) {
    uint32_t grown = 0;
    while (__builtin_wasm_memory_grow(0, 1) != (size_t)-1) grown++;
    bsatn_buf m = {0};
    sb_str(&m, "memory.grow refused after "); sb_u64(&m, grown); sb_str(&m, " pages; memory is ");
    sb_u64(&m, __builtin_wasm_memory_size(0)); sb_str(&m, " pages");
    return stdb_fail_buf(c, &m);
}
static int32_t hog_touch(stdb_ctx *c) {
    (void)c;
    for (;;) {
        size_t old = __builtin_wasm_memory_grow(0, 16);
        if (old == (size_t)-1) __builtin_trap();
        for (uint32_t p = 0; p < 16; p++) *(volatile uint8_t *)((old + p) * 65536u) = 1;
    }
}
static int32_t pages(stdb_ctx *c) {
    bsatn_buf m = {0}; sb_u64(&m, __builtin_wasm_memory_size(0));
    return stdb_fail_buf(c, &m);
}
static int32_t ok(stdb_ctx *c) { (void)c; return 0; }
STDB_DEFINE_REDUCERS(hog, hog_touch, pages, ok)
