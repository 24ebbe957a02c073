/*
 * ledger.c -- the recovery benchmark's module (bench/run recovery), Lightcone C kit.
 * RawModuleDef V10. ABI imports up to spacetime_10.0.
 *
 * Typespace:  0 = Entry {id: u64, owner: u32, amount: i64, memo: str}     (Types: "Entry" -> 0)
 * Tables:
 *   entry (row @0) public
 *     columns: 0 id: u64 (primary key), 1 owner: u32, 2 amount: i64, 3 memo: str
 *     index  entry_id_idx_btree  accessor "id"  BTree[id]   (SpacetimeDB's default for a primary key)
 *     unique entry_id_key [id]
 * Every value is a function of the id and a salt, so the benchmark can model the table without reading it:
 *   owner  = (u32)(id * 0x9E3779B1)
 *   amount = (i64)mix(id ^ salt)        mix = SplitMix64's finaliser
 *   memo   = "entry " + decimal(id)
 * Reducers:
 *   0 insert_range(first: u64, count: u32, salt: u64)   inserts ids first..first+count-1
 *   1 update_range(first: u64, count: u32, salt: u64)   rewrites their amount with the new salt (through the PK)
 */
#include "kit/stdb.h"

static const char *const TYPESPACE[] = { "{id: u64, owner: u32, amount: i64, memo: str}" };
static const md_typename TYPES[] = { { "Entry", 0, 1 } };
static const md_index IDX[] = { { MD_BTREE, "entry_id_idx_btree", "id", {0}, 1 } };
static const md_unique UNQ[] = { { "entry_id_key", {0}, 1 } };
static const md_table TABLES[] = { {
    .name = "entry", .type_ref = 0, .pk = {0}, .npk = 1,
    .indexes = IDX, .nindexes = 1, .uniques = UNQ, .nuniques = 1, .access = MD_PUBLIC,
} };
static const md_reducer REDUCERS[] = {
    { .name = "insert_range", .params = "{first: u64, count: u32, salt: u64}", .visibility = MD_FN_CLIENT_CALLABLE },
    { .name = "update_range", .params = "{first: u64, count: u32, salt: u64}", .visibility = MD_FN_CLIENT_CALLABLE },
};
static void describe(bsatn_buf *b) {
    md10 m; md10_begin(&m, b);
    md10_typespace(&m, TYPESPACE, 1);
    md10_types(&m, TYPES, 1);
    md10_tables(&m, TABLES, 1);
    md10_reducers(&m, REDUCERS, 2);
    md10_end(&m);
}
STDB_DEFINE_DESCRIBE(describe)

static TableId entry_tid; static IndexId entry_iid; static int ids_ok;
static int32_t lookup_ids(stdb_ctx *c) {
    if (ids_ok) return 0;
    STDB_TRY(c, "table_id_from_name(entry)", stdb_table_id("entry", &entry_tid));
    STDB_TRY(c, "index_id_from_name(entry_id_idx_btree)", stdb_index_id("entry_id_idx_btree", &entry_iid));
    ids_ok = 1;
    return 0;
}

static uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* writes the row of `id` under `salt` into row[], returns its length */
static uint32_t entry_row(uint8_t *row, uint32_t cap, uint64_t id, uint64_t salt) {
    uint8_t memo[32]; bsatn_buf m = { memo, 0, sizeof memo };
    sb_str(&m, "entry "); sb_u64(&m, id);
    bsatn_buf b = { row, 0, cap };
    bw_u64(&b, id); bw_u32(&b, (uint32_t)(id * 0x9E3779B1ull)); bw_i64(&b, (int64_t)mix(id ^ salt));
    bw_strn(&b, memo, m.len);
    return b.len;
}

static int32_t insert_range(stdb_ctx *c) {
    uint64_t first = br_u64(&c->r); uint32_t count = br_u32(&c->r); uint64_t salt = br_u64(&c->r);
    STDB_ARGS_DONE(c, "insert_range");
    if (lookup_ids(c)) return 1;
    uint8_t row[64];
    for (uint32_t i = 0; i < count; i++) {
        uint32_t len = entry_row(row, sizeof row, first + i, salt);
        STDB_TRY(c, "datastore_insert_bsatn(entry)", datastore_insert_bsatn(entry_tid, row, &len));
    }
    return 0;
}

static int32_t update_range(stdb_ctx *c) {
    uint64_t first = br_u64(&c->r); uint32_t count = br_u32(&c->r); uint64_t salt = br_u64(&c->r);
    STDB_ARGS_DONE(c, "update_range");
    if (lookup_ids(c)) return 1;
    uint8_t row[64];
    for (uint32_t i = 0; i < count; i++) {
        uint32_t len = entry_row(row, sizeof row, first + i, salt);
        STDB_TRY(c, "datastore_update_bsatn(entry)", datastore_update_bsatn(entry_tid, entry_iid, row, &len));
    }
    return 0;
}

STDB_DEFINE_REDUCERS(insert_range, update_range)
