/*
 * big.c -- a ~1 MB module for load-time benchmarks (compile and compile-cache), Lightcone C kit.
 * RawModuleDef V10.
 *
 * Typespace:  0 = Result {slot: u32, value: u64}
 * Tables:
 *   result (row @0) public; columns: 0 slot: u32 (primary key), 1 value: u64
 *     index result_slot_idx_btree BTree[slot]; unique result_slot_key [slot]
 * Reducers:
 *   0 compute(slot: u32, x: u64)   runs generated function number (slot % BIG_FUNCTIONS) on x and inserts or
 *                                  updates the row (slot, value)
 *   1 empty()                      does nothing
 * The bulk of the module is BIG_FUNCTIONS generated functions with distinct constants, all reachable through a
 * function table, so the linker keeps them and the compiler must translate every one.
 */
#include "kit/stdb.h"

static const char *const TYPESPACE[] = { "{slot: u32, value: u64}" };
static const md_typename TYPES[] = { { "Result", 0, 1 } };
static const md_index IDX[] = { { MD_BTREE, "result_slot_idx_btree", "slot", {0}, 1 } };
static const md_unique UNQ[] = { { "result_slot_key", {0}, 1 } };
static const md_table TABLES[] = { {
    .name = "result", .type_ref = 0, .pk = {0}, .npk = 1,
    .indexes = IDX, .nindexes = 1, .uniques = UNQ, .nuniques = 1, .access = MD_PUBLIC,
} };
static const md_reducer REDUCERS[] = {
    { .name = "compute", .params = "{slot: u32, x: u64}", .visibility = MD_FN_CLIENT_CALLABLE },
    { .name = "empty", .params = "{}", .visibility = MD_FN_CLIENT_CALLABLE },
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

/* One generated function: a mixing loop the compiler unrolls, with constants derived from its number. */
#define FN(id) \
    __attribute__((noinline)) static uint64_t f_##id(uint64_t x) { \
        for (int i = 0; i < 6; i++) { \
            x = x * (0x9E3779B97F4A7C15ULL + (uint64_t)(id) * 2ULL + 1ULL) + ((x >> 29) ^ ((uint64_t)(id) << 17)); \
            x ^= x >> ((id) % 31 + 1); \
        } \
        return x; \
    }
#define FN10(p) FN(p##0) FN(p##1) FN(p##2) FN(p##3) FN(p##4) FN(p##5) FN(p##6) FN(p##7) FN(p##8) FN(p##9)
#define FN100(p) FN10(p##0) FN10(p##1) FN10(p##2) FN10(p##3) FN10(p##4) \
    FN10(p##5) FN10(p##6) FN10(p##7) FN10(p##8) FN10(p##9)
#define FN1000(p) FN100(p##0) FN100(p##1) FN100(p##2) FN100(p##3) FN100(p##4) \
    FN100(p##5) FN100(p##6) FN100(p##7) FN100(p##8) FN100(p##9)
#define REF(id) f_##id,
#define REF10(p) REF(p##0) REF(p##1) REF(p##2) REF(p##3) REF(p##4) REF(p##5) REF(p##6) REF(p##7) REF(p##8) \
    REF(p##9)
#define REF100(p) REF10(p##0) REF10(p##1) REF10(p##2) REF10(p##3) REF10(p##4) \
    REF10(p##5) REF10(p##6) REF10(p##7) REF10(p##8) REF10(p##9)
#define REF1000(p) REF100(p##0) REF100(p##1) REF100(p##2) REF100(p##3) REF100(p##4) \
    REF100(p##5) REF100(p##6) REF100(p##7) REF100(p##8) REF100(p##9)

FN1000(1) FN1000(2) FN1000(3) FN1000(4)
#define BIG_FUNCTIONS 4000
static uint64_t (*const FUNCTIONS[BIG_FUNCTIONS])(uint64_t) = { REF1000(1) REF1000(2) REF1000(3) REF1000(4) };

static TableId result_tid; static IndexId result_iid; static int ids_ok;

static int32_t compute(stdb_ctx *c) {
    uint32_t slot = br_u32(&c->r); uint64_t x = br_u64(&c->r);
    STDB_ARGS_DONE(c, "compute");
    if (!ids_ok) {
        STDB_TRY(c, "table_id_from_name(result)", stdb_table_id("result", &result_tid));
        STDB_TRY(c, "index_id_from_name(result_slot_idx_btree)", stdb_index_id("result_slot_idx_btree", &result_iid));
        ids_ok = 1;
    }
    const uint64_t value = FUNCTIONS[slot % BIG_FUNCTIONS](x);
    uint8_t row[12]; bsatn_buf b = { row, 0, 12 }; bw_u32(&b, slot); bw_u64(&b, value);
    uint32_t len = 12;
    if (datastore_update_bsatn(result_tid, result_iid, row, &len) == 0) return 0;
    len = 12;
    STDB_TRY(c, "datastore_insert_bsatn(result)", datastore_insert_bsatn(result_tid, row, &len));
    return 0;
}
static int32_t empty(stdb_ctx *c) { (void)c; return 0; }

STDB_DEFINE_REDUCERS(compute, empty)
