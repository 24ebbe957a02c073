/*
 * keynote.c -- bank-transfer benchmark module (the "keynote" workload), Lightcone C kit.
 * RawModuleDef V10. ABI imports up to spacetime_10.5 (datastore_clear) / 10.4 (point scan).
 *
 * Typespace:  0 = Account {id: u32, balance: i64}        (Types: "Account" -> 0)
 * Tables:
 *   accounts (row @0) public
 *     columns: 0 id: u32 (primary key), 1 balance: i64
 *     index  accounts_id_idx_btree  accessor "id"  BTree[id]   (SpacetimeDB's default index name; the
 *            keynote uses a hash index, we pick BTree so range scans work too -- the reducers only
 *            use point scans, so swapping MD_BTREE for MD_HASH below is the only change needed)
 *     unique accounts_id_key [id]
 * Reducers:
 *   0 seed(n: u32, initial_balance: i64)   datastore_clear(accounts), then inserts ids 0..n-1
 *   1 transfer(from: u32, to: u32, amount: i64)
 *        user errors (return 1, message in the err sink), checked in this order:
 *          from == to             -> "cannot transfer to the same account"
 *          amount <= 0            -> "amount must be positive"
 *          from / to not present  -> "account <id> not found"
 *          balance(from) < amount -> "insufficient balance"
 *        else finds both rows with datastore_index_scan_point_bsatn and rewrites them with
 *        datastore_update_bsatn via accounts_id_idx_btree.
 *   2 empty()                               does nothing (call-overhead benchmark)
 * Table and index ids are looked up once per instance and cached.
 */
#include "kit/stdb.h"

static const char *const TYPESPACE[] = { "{id: u32, balance: i64}" };
static const md_typename TYPES[] = { { "Account", 0, 1 } };
static const md_index IDX[] = { { MD_BTREE, "accounts_id_idx_btree", "id", {0}, 1 } };
static const md_unique UNQ[] = { { "accounts_id_key", {0}, 1 } };
static const md_table TABLES[] = { {
    .name = "accounts", .type_ref = 0, .pk = {0}, .npk = 1,
    .indexes = IDX, .nindexes = 1, .uniques = UNQ, .nuniques = 1, .access = MD_PUBLIC,
} };
static const md_reducer REDUCERS[] = {
    { .name = "seed", .params = "{n: u32, initial_balance: i64}", .visibility = MD_FN_CLIENT_CALLABLE },
    { .name = "transfer", .params = "{from: u32, to: u32, amount: i64}", .visibility = MD_FN_CLIENT_CALLABLE },
    { .name = "empty", .params = "{}", .visibility = MD_FN_CLIENT_CALLABLE },
};
static void describe(bsatn_buf *b) {
    md10 m; md10_begin(&m, b);
    md10_typespace(&m, TYPESPACE, 1);
    md10_types(&m, TYPES, 1);
    md10_tables(&m, TABLES, 1);
    md10_reducers(&m, REDUCERS, 3);
    md10_end(&m);
}
STDB_DEFINE_DESCRIBE(describe)

static TableId accounts_tid; static IndexId accounts_iid; static int ids_ok;
static int32_t lookup_ids(stdb_ctx *c) {
    if (ids_ok) return 0;
    STDB_TRY(c, "table_id_from_name(accounts)", stdb_table_id("accounts", &accounts_tid));
    STDB_TRY(c, "index_id_from_name(accounts_id_idx_btree)", stdb_index_id("accounts_id_idx_btree", &accounts_iid));
    ids_ok = 1;
    return 0;
}

static int32_t seed(stdb_ctx *c) {
    uint32_t n = br_u32(&c->r); int64_t bal = br_i64(&c->r);
    STDB_ARGS_DONE(c, "seed");
    if (lookup_ids(c)) return 1;
    uint64_t deleted;
    STDB_TRY(c, "datastore_clear(accounts)", datastore_clear(accounts_tid, &deleted));
    uint8_t row[12];
    for (uint32_t i = 0; i < n; i++) {
        bsatn_buf b = { row, 0, sizeof row };
        bw_u32(&b, i); bw_i64(&b, bal);
        uint32_t len = b.len;
        STDB_TRY(c, "datastore_insert_bsatn(accounts)", datastore_insert_bsatn(accounts_tid, row, &len));
    }
    return 0;
}

/* 1 = found (balance set), 0 = missing, -1 = failure already reported */
static int find_balance(stdb_ctx *c, uint32_t id, int64_t *bal) {
    uint8_t key[4]; bsatn_buf k = { key, 0, 4 }; bw_u32(&k, id);
    RowIter it;
    int32_t e = datastore_index_scan_point_bsatn(accounts_iid, key, 4, &it);
    if (e) { stdb_fail_errno(c, "datastore_index_scan_point_bsatn(accounts_id_idx_btree)", e); return -1; }
    uint8_t buf[64]; uint32_t n = sizeof buf;
    int32_t rc = row_iter_bsatn_advance(it, buf, &n);
    if (rc == 0) row_iter_bsatn_close(it);   /* unique index: never more than one row */
    else if (rc != STDB_EXHAUSTED) { stdb_fail_errno(c, "row_iter_bsatn_advance", rc); return -1; }
    if (n == 0) return 0;
    if (n != 12) { stdb_fail(c, "transfer: unexpected accounts row size"); return -1; }
    bsatn_reader r; br_init(&r, buf, n); br_u32(&r); *bal = br_i64(&r);
    return 1;
}
static int32_t fail_missing(stdb_ctx *c, uint32_t id) {
    bsatn_buf m = {0}; sb_str(&m, "account "); sb_u64(&m, id); sb_str(&m, " not found");
    return stdb_fail_buf(c, &m);
}
static int32_t put_balance(stdb_ctx *c, uint32_t id, int64_t bal) {
    uint8_t row[12]; bsatn_buf b = { row, 0, 12 }; bw_u32(&b, id); bw_i64(&b, bal);
    uint32_t len = 12;
    STDB_TRY(c, "datastore_update_bsatn(accounts)", datastore_update_bsatn(accounts_tid, accounts_iid, row, &len));
    return 0;
}
static int32_t transfer(stdb_ctx *c) {
    uint32_t from = br_u32(&c->r), to = br_u32(&c->r); int64_t amount = br_i64(&c->r);
    STDB_ARGS_DONE(c, "transfer");
    if (from == to) return stdb_fail(c, "cannot transfer to the same account");
    if (amount <= 0) return stdb_fail(c, "amount must be positive");
    if (lookup_ids(c)) return 1;
    int64_t bf, bt; int f;
    if ((f = find_balance(c, from, &bf)) <= 0) return f < 0 ? 1 : fail_missing(c, from);
    if ((f = find_balance(c, to, &bt)) <= 0) return f < 0 ? 1 : fail_missing(c, to);
    if (bf < amount) return stdb_fail(c, "insufficient balance");
    if (put_balance(c, from, bf - amount)) return 1;
    return put_balance(c, to, bt + amount);
}
static int32_t empty(stdb_ctx *c) { (void)c; return 0; }

STDB_DEFINE_REDUCERS(seed, transfer, empty)
