/*
 * noexports.c -- misbehaving module: exports memory and a valid __describe_module__ (V10, one reducer
 * `ok()`), but NOT __call_reducer__. Lightcone C kit. ABI imports: spacetime_10.0 (bytes_sink_write).
 * The host must reject it at load time (missing required export) or fail every reducer call cleanly.
 */
#include "kit/stdb.h"

static const md_reducer REDUCERS[] = { { .name = "ok", .params = "{}", .visibility = MD_FN_CLIENT_CALLABLE } };
static void describe(bsatn_buf *b) {
    md10 m; md10_begin(&m, b);
    md10_typespace(&m, 0, 0);
    md10_reducers(&m, REDUCERS, 1);
    md10_end(&m);
}
STDB_DEFINE_DESCRIBE(describe)
