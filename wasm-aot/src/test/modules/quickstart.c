/*
 * quickstart.c -- the SpacetimeDB quickstart module, written with the Lightcone C kit.
 * RawModuleDef V10. ABI imports: spacetime_10.0, spacetime_10.1.
 *
 * Typespace:  0 = Person {name: String}          (Types: "Person" -> 0)
 * Tables:     person (row @0)  public, no primary key, no indexes
 * Reducers (id = index passed to __call_reducer__):
 *   0 add(name: String)          client-callable; inserts Person{name}
 *   1 say_hello()                client-callable; scans person, logs "Hello, <name>!" per row (info),
 *                                then "Hello, World!"
 *   2 init()                     lifecycle Init; logs "quickstart: init"
 *   3 client_connected()         lifecycle OnConnect; logs "client connected: <sender hex>"
 *   4 client_disconnected()      lifecycle OnDisconnect; logs "client disconnected: <sender hex>"
 * Sender hex = the 64-char big-endian hex form of the Identity (as in the identity's text form).
 */
#include "kit/stdb.h"

static const char *const TYPESPACE[] = { "{name: str}" };
static const md_typename TYPES[] = { { "Person", 0, 1 } };
static const md_table TABLES[] = { { .name = "person", .type_ref = 0, .access = MD_PUBLIC } };
static const md_reducer REDUCERS[] = {
    { "add", "{name: str}", MD_FN_CLIENT_CALLABLE },
    { "say_hello", "{}", MD_FN_CLIENT_CALLABLE },
    { "init", "{}", MD_FN_PRIVATE },
    { "client_connected", "{}", MD_FN_PRIVATE },
    { "client_disconnected", "{}", MD_FN_PRIVATE },
};
static const md_lifecycle LIFECYCLE[] = {
    { MD_INIT, "init" }, { MD_ON_CONNECT, "client_connected" }, { MD_ON_DISCONNECT, "client_disconnected" },
};

static void describe(bsatn_buf *b) {
    md10 m; md10_begin(&m, b);
    md10_typespace(&m, TYPESPACE, 1);
    md10_types(&m, TYPES, 1);
    md10_tables(&m, TABLES, 1);
    md10_reducers(&m, REDUCERS, 5);
    md10_lifecycles(&m, LIFECYCLE, 3);
    md10_end(&m);
}
STDB_DEFINE_DESCRIBE(describe)

static int32_t add(stdb_ctx *c) {
    uint32_t n; const uint8_t *name = br_str(&c->r, &n);
    STDB_ARGS_DONE(c, "add");
    TableId t; STDB_TRY(c, "table_id_from_name(person)", stdb_table_id("person", &t));
    bsatn_buf row = {0}; bw_strn(&row, name, n);
    STDB_TRY(c, "datastore_insert_bsatn", datastore_insert_bsatn(t, row.data, &row.len));
    return 0;
}
static int32_t say_hello(stdb_ctx *c) {
    STDB_ARGS_DONE(c, "say_hello");
    TableId t; STDB_TRY(c, "table_id_from_name(person)", stdb_table_id("person", &t));
    RowIter it; STDB_TRY(c, "datastore_table_scan_bsatn", datastore_table_scan_bsatn(t, &it));
    bsatn_buf rows = {0};
    STDB_TRY(c, "row_iter_bsatn_advance", stdb_iter_collect(it, &rows));
    bsatn_reader r; br_init(&r, rows.data, rows.len);
    while (r.pos < r.len && !r.err) {
        uint32_t n; const uint8_t *name = br_str(&r, &n);
        if (r.err) break;
        bsatn_buf m = {0};
        sb_str(&m, "Hello, "); sb_strn(&m, name, n); sb_str(&m, "!");
        stdb_log_buf(STDB_LOG_INFO, &m);
    }
    if (r.err) return stdb_fail(c, "say_hello: malformed person row");
    stdb_log(STDB_LOG_INFO, "Hello, World!");
    return 0;
}
static int32_t init(stdb_ctx *c) { (void)c; stdb_log(STDB_LOG_INFO, "quickstart: init"); return 0; }
static int32_t log_sender(stdb_ctx *c, const char *what) {
    bsatn_buf m = {0};
    sb_str(&m, what); sb_hex_be(&m, c->sender, 32);
    stdb_log_buf(STDB_LOG_INFO, &m);
    return 0;
}
static int32_t client_connected(stdb_ctx *c) { return log_sender(c, "client connected: "); }
static int32_t client_disconnected(stdb_ctx *c) { return log_sender(c, "client disconnected: "); }

STDB_DEFINE_REDUCERS(add, say_hello, init, client_connected, client_disconnected)
