/*
 * fanout.c -- subscription fan-out benchmark module (bench/run fanout), Lightcone C kit.
 * RawModuleDef V10. ABI imports up to spacetime_10.5 (datastore_clear).
 *
 * Typespace:  0 = Position {id: u32, zone: u32, seq: u64, sent_ns: i64}   (Types: "Position" -> 0)
 * Tables:
 *   position (row @0) public, 24-byte rows
 *     columns: 0 id: u32 (primary key), 1 zone: u32, 2 seq: u64 (the writer's commit number),
 *              3 sent_ns: i64 (the writer's clock when it sent the call: latency is measured against it)
 *     index  position_id_idx_btree    accessor "id"    BTree[id]
 *     index  position_zone_idx_btree  accessor "zone"  BTree[zone]
 *     unique position_id_key [id]
 * Reducers:
 *   0 seed(n: u32, zones: u32)     datastore_clear(position), then inserts ids 0..n-1 with zone = id % zones
 *   1 move(first: u32, count: u32, zones: u32, seq: u64, sent_ns: i64)
 *        rewrites rows first..first+count-1 (zone = id % zones, so consecutive ids cover consecutive zones) with
 *        this seq and sent_ns through datastore_update_bsatn on position_id_idx_btree.
 *        user errors: "count must be positive", "zones must be positive", a failed host call (e.g. an id that was
 *        never seeded: the update fails with NO_SUCH_ROW or similar).
 * Table and index ids are looked up once per instance and cached.
 */
#include "kit/stdb.h"

static const char *const TYPESPACE[] = { "{id: u32, zone: u32, seq: u64, sent_ns: i64}" };
static const md_typename TYPES[] = { { "Position", 0, 1 } };
static const md_index IDX[] = {
    { MD_BTREE, "position_id_idx_btree", "id", {0}, 1 },
    { MD_BTREE, "position_zone_idx_btree", "zone", {1}, 1 },
};
static const md_unique UNQ[] = { { "position_id_key", {0}, 1 } };
static const md_table TABLES[] = { {
    .name = "position", .type_ref = 0, .pk = {0}, .npk = 1,
    .indexes = IDX, .nindexes = 2, .uniques = UNQ, .nuniques = 1, .access = MD_PUBLIC,
} };
static const md_reducer REDUCERS[] = {
    { .name = "seed", .params = "{n: u32, zones: u32}", .visibility = MD_FN_CLIENT_CALLABLE },
    { .name = "move", .params = "{first: u32, count: u32, zones: u32, seq: u64, sent_ns: i64}",
      .visibility = MD_FN_CLIENT_CALLABLE },
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

static TableId position_tid; static IndexId position_iid; static int ids_ok;
static int32_t lookup_ids(stdb_ctx *c) {
    if (ids_ok) return 0;
    STDB_TRY(c, "table_id_from_name(position)", stdb_table_id("position", &position_tid));
    STDB_TRY(c, "index_id_from_name(position_id_idx_btree)", stdb_index_id("position_id_idx_btree", &position_iid));
    ids_ok = 1;
    return 0;
}

static void put_row(bsatn_buf *b, uint32_t id, uint32_t zone, uint64_t seq, int64_t sent_ns) {
    bw_u32(b, id); bw_u32(b, zone); bw_u64(b, seq); bw_i64(b, sent_ns);
}

static int32_t seed(stdb_ctx *c) {
    uint32_t n = br_u32(&c->r), zones = br_u32(&c->r);
    STDB_ARGS_DONE(c, "seed");
    if (zones == 0) return stdb_fail(c, "zones must be positive");
    if (lookup_ids(c)) return 1;
    uint64_t deleted;
    STDB_TRY(c, "datastore_clear(position)", datastore_clear(position_tid, &deleted));
    uint8_t row[24];
    for (uint32_t i = 0; i < n; i++) {
        bsatn_buf b = { row, 0, sizeof row };
        put_row(&b, i, i % zones, 0, 0);
        uint32_t len = b.len;
        STDB_TRY(c, "datastore_insert_bsatn(position)", datastore_insert_bsatn(position_tid, row, &len));
    }
    return 0;
}

static int32_t move(stdb_ctx *c) {
    uint32_t first = br_u32(&c->r), count = br_u32(&c->r), zones = br_u32(&c->r);
    uint64_t seq = br_u64(&c->r); int64_t sent_ns = br_i64(&c->r);
    STDB_ARGS_DONE(c, "move");
    if (count == 0) return stdb_fail(c, "count must be positive");
    if (zones == 0) return stdb_fail(c, "zones must be positive");
    if (lookup_ids(c)) return 1;
    uint8_t row[24];
    for (uint32_t k = 0; k < count; k++) {
        uint32_t id = first + k;
        bsatn_buf b = { row, 0, sizeof row };
        put_row(&b, id, id % zones, seq, sent_ns);
        uint32_t len = b.len;
        STDB_TRY(c, "datastore_update_bsatn(position)",
                 datastore_update_bsatn(position_tid, position_iid, row, &len));
    }
    return 0;
}

STDB_DEFINE_REDUCERS(seed, move)
