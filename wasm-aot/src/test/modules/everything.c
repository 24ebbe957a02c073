/*
 * everything.c -- every column type, every index kind, and every host import, Lightcone C kit.
 * RawModuleDef V10 with sections Typespace, Types, Tables, Reducers, Procedures, Views, Schedules,
 * LifeCycleReducers, RowLevelSecurity (empty), CaseConversionPolicy (SnakeCase), ExplicitNames.
 * ABI imports: every function of spacetime_10.0 .. spacetime_10.5.
 *
 * Typespace (Types section names in parentheses):
 *   @0 Everything  (row of `everything`, columns numbered):
 *      0 id: u64   1 b: bool   2 i8v: i8   3 i16v: i16   4 i32v: i32   5 i64v: i64   6 i128v: i128
 *      7 i256v: i256   8 u8v: u8   9 u16v: u16   10 u32v: u32   11 u64v: u64   12 u128v: u128
 *      13 u256v: u256   14 f32v: f32   15 f64v: f64   16 s: String   17 bytes: Array<u8>
 *      18 strings: Array<String>   19 opt: Option<u32>   20 color: @1   21 shape: @2   22 point: @3
 *      23 ident: Identity   24 conn: ConnectionId   25 ts: Timestamp   26 dur: TimeDuration
 *      27 uuid: Uuid   28 sched: ScheduleAt
 *   @1 Color = <red | green | blue>            @2 Shape = <circle: f32 | rect: @3 | label: String | nothing>
 *   @3 Point = {x: i32, y: i32}                @4 TickTimer = {scheduled_id: u64, scheduled_at: ScheduleAt}
 *   @5 EvLog = {msg: String, n: u32}           @6 Kv = {k: u32, v: String}
 *   @7 HttpResult = {ok: bool, code: u16, body: String}
 * Tables:
 *   everything (@0) public; pk [id]
 *     indexes: everything_id_idx_btree BTree[id]; everything_u32v_s_idx_btree BTree[u32v, s];
 *              everything_u64v_idx_btree BTree[u64v]; everything_i64v_idx_hash Hash[i64v];
 *              everything_u8v_idx_direct Direct[u8v]
 *     unique:  everything_id_key [id]; everything_u64v_key [u64v]
 *     sequence everything_id_seq on id: start Some(1), min Some(1), max None, increment 1
 *     default  opt = None (bytes 01)
 *   tick_timer (@4) private; pk [scheduled_id]; index tick_timer_scheduled_id_idx_btree; unique
 *     tick_timer_scheduled_id_key; sequence tick_timer_scheduled_id_seq (all None, increment 1);
 *     schedule "tick_timer_sched": column 1 -> reducer tick
 *   ev_log (@5) public, EVENT table (is_event = true), no pk
 *   kv (@6) public; pk [k]; index kv_k_idx_btree BTree[k]; unique kv_k_key
 * Row contents written by insert_one(u32v, s) (deterministic, see make_row): u64v = (u32v << 32) | fnv1a32(s),
 *   so inserting the same (u32v, s) twice violates everything_u64v_key.
 * Reducers (id: name(params)) -- every check failure returns 1 with "<call> returned <got> (<NAME>),
 * expected <want> (<NAME>)" or "<call> returned errno <e> (<NAME>)" or a description in the err sink:
 *   0 init()                      lifecycle Init; logs
 *   1 client_connected()          lifecycle OnConnect; logs sender; get_jwt(conn) and logs the payload
 *   2 client_disconnected()       lifecycle OnDisconnect; logs sender
 *   3 insert_one(u32v: u32, s: String)           insert with auto-inc write-back (checks 8 bytes, id >= 1)
 *   4 lookups()                   table/index id lookups (+ NO_SUCH_TABLE / NO_SUCH_INDEX), row counts
 *   5 scan_all()                  needs >= 1 row: table scan, 1-byte buffer -> BUFFER_TOO_SMALL, then full
 *                                 scan; row count must match datastore_table_row_count; close twice
 *                                 (second -> NO_SUCH_ITER); advance on a bogus iter -> NO_SUCH_ITER
 *   6 range_scan(u32v: u32, lo: String, hi: String, expect: u32)   u32v_s index, prefix [u32v] +
 *                                 s in [lo, hi); same with datastore_btree_scan_bsatn; then prefix_elems 0
 *                                 with u32v in [u32v, u32v] must give >= expect rows
 *   7 point_scan(u32v: u32, s: String, expect: u32)   point scan (u32v, s) -> expect rows; each row is
 *                                 found again by a point scan on the pk index
 *   8 update_s(id: u64, s: String)  update row `id` with new s via the pk index, reads it back; update of
 *                                 a missing id -> NO_SUCH_ROW; update via the hash index -> INDEX_NOT_UNIQUE
 *   9 delete_range(lo: u32, hi: u32, expect: u32)  delete by range u32v in [lo, hi) -> expect deleted
 *  10 delete_point(id: u64, expect: u32)           delete by point on pk -> expect deleted
 *  11 delete_eq(k: u32, v: String)  insert kv(k, v); delete_all_by_eq [row] -> 1 then 0; also inserts
 *                                 kv(k, v) again and deletes it with datastore_delete_by_btree_scan_bsatn
 *  12 clear_all(expect: u64)      datastore_clear(everything) -> expect deleted (u64::MAX = any); count 0 after
 *  13 misc(tag: String)           console_timer_start/end (+ NO_SUCH_CONSOLE_TIMER), identity (logged),
 *                                 get_jwt(own conn), bytes_source_remaining_length on the consumed args
 *                                 source -> NO_SUCH_BYTES, bytes_sink_write to a bogus sink -> NO_SUCH_BYTES
 *  14 schedule_now(msg: String)   volatile_nonatomic_schedule_immediate("ev_emit", {msg})
 *  15 ev_emit(msg: String)        inserts EvLog{msg, n = len(msg)} into the event table
 *  16 tick(arg: TickTimer)        scheduled (private); logs "tick <id>", inserts EvLog{"tick", id}
 *  17 schedule_tick(delay_micros: i64)  inserts tick_timer{0, Time(now + delay)}; checks write-back id
 *  18 selftest()                  runs 12,3,4,5,6,7,8,11,10,9,13,14,17 with fixed arguments, then clears
 *  19 fail_user()                 always fails with "deliberate user error"
 * Procedures (__call_procedure__ id; on failure return 1 with the message in the result sink):
 *   0 proc_tx(k: u32) -> u32      tx1: insert kv(k,"proc") + commit; tx2: insert kv(k+1,"aborted") +
 *                                 abort; tx3: checks k+1 absent, returns the kv row count (commit)
 *   1 proc_http(url: String) -> HttpResult   GET url (timeout 5 s, HTTP/1.1); ok=false + error text
 *                                 in body on HTTP_ERROR
 *   2 proc_sleep(micros: i64) -> i64   returns procedure_sleep_until(timestamp + micros)
 * Views (all return Array<Kv> = every kv row):
 *   __call_view__ 0       my_kv        (public, returns 2: ViewResultHeader::RowData + Array<Row>)
 *   __call_view_anon__ 0  all_kv_anon  (public, anonymous, legacy return 0: Array<Row>)
 */
#include "kit/stdb.h"

static const char *const TYPESPACE[] = {
    "{id: u64, b: bool, i8v: i8, i16v: i16, i32v: i32, i64v: i64, i128v: i128, i256v: i256,"
    " u8v: u8, u16v: u16, u32v: u32, u64v: u64, u128v: u128, u256v: u256, f32v: f32, f64v: f64,"
    " s: str, bytes: [u8], strings: [str], opt: ?u32, color: @1, shape: @2, point: @3,"
    " ident: identity, conn: connid, ts: timestamp, dur: duration, uuid: uuid, sched: scheduleat}",
    "<red | green | blue>",
    "<circle: f32 | rect: @3 | label: str | nothing>",
    "{x: i32, y: i32}",
    "{scheduled_id: u64, scheduled_at: scheduleat}",
    "{msg: str, n: u32}",
    "{k: u32, v: str}",
    "{ok: bool, code: u16, body: str}",
};
#define NTYPES 8
static const md_typename TYPES[] = {
    {"Everything", 0, 1}, {"Color", 1, 1}, {"Shape", 2, 1}, {"Point", 3, 1},
    {"TickTimer", 4, 1}, {"EvLog", 5, 1}, {"Kv", 6, 1}, {"HttpResult", 7, 1},
};
enum { C_ID = 0, C_I64V = 5, C_U8V = 8, C_U32V = 10, C_U64V = 11, C_S = 16, C_OPT = 19 };
static const md_index EV_IDX[] = {
    { MD_BTREE, "everything_id_idx_btree", "id", {C_ID}, 1 },
    { MD_BTREE, "everything_u32v_s_idx_btree", "u32v_s", {C_U32V, C_S}, 2 },
    { MD_BTREE, "everything_u64v_idx_btree", "u64v", {C_U64V}, 1 },
    { MD_HASH, "everything_i64v_idx_hash", "i64v", {C_I64V}, 1 },
    { MD_DIRECT, "everything_u8v_idx_direct", "u8v", {C_U8V}, 1 },
};
static const md_unique EV_UNQ[] = { { "everything_id_key", {C_ID}, 1 }, { "everything_u64v_key", {C_U64V}, 1 } };
static const md_sequence EV_SEQ[] = { { .name = "everything_id_seq", .col = C_ID, .has_start = 1, .start = 1, .has_min = 1, .min = 1, .increment = 1 } };
static const uint8_t OPT_NONE[] = { 1 };
static const md_default EV_DEF[] = { { C_OPT, OPT_NONE, 1 } };
static const md_index TT_IDX[] = { { MD_BTREE, "tick_timer_scheduled_id_idx_btree", "scheduled_id", {0}, 1 } };
static const md_unique TT_UNQ[] = { { "tick_timer_scheduled_id_key", {0}, 1 } };
static const md_sequence TT_SEQ[] = { { .name = "tick_timer_scheduled_id_seq", .col = 0, .increment = 1 } };
static const md_index KV_IDX[] = { { MD_BTREE, "kv_k_idx_btree", "k", {0}, 1 } };
static const md_unique KV_UNQ[] = { { "kv_k_key", {0}, 1 } };
static const md_table TABLES[] = {
    { .name = "everything", .type_ref = 0, .pk = {C_ID}, .npk = 1, .indexes = EV_IDX, .nindexes = 5,
      .uniques = EV_UNQ, .nuniques = 2, .seqs = EV_SEQ, .nseqs = 1, .access = MD_PUBLIC,
      .defaults = EV_DEF, .ndefaults = 1 },
    { .name = "tick_timer", .type_ref = 4, .pk = {0}, .npk = 1, .indexes = TT_IDX, .nindexes = 1,
      .uniques = TT_UNQ, .nuniques = 1, .seqs = TT_SEQ, .nseqs = 1, .access = MD_PRIVATE },
    { .name = "ev_log", .type_ref = 5, .access = MD_PUBLIC, .is_event = 1 },
    { .name = "kv", .type_ref = 6, .pk = {0}, .npk = 1, .indexes = KV_IDX, .nindexes = 1,
      .uniques = KV_UNQ, .nuniques = 1, .access = MD_PUBLIC },
};
#define CC MD_FN_CLIENT_CALLABLE
static const md_reducer REDUCERS[] = {
    { .name = "init", .params = "{}" },
    { .name = "client_connected", .params = "{}" },
    { .name = "client_disconnected", .params = "{}" },
    { .name = "insert_one", .params = "{u32v: u32, s: str}", .visibility = CC },
    { .name = "lookups", .params = "{}", .visibility = CC },
    { .name = "scan_all", .params = "{}", .visibility = CC },
    { .name = "range_scan", .params = "{u32v: u32, lo: str, hi: str, expect: u32}", .visibility = CC },
    { .name = "point_scan", .params = "{u32v: u32, s: str, expect: u32}", .visibility = CC },
    { .name = "update_s", .params = "{id: u64, s: str}", .visibility = CC },
    { .name = "delete_range", .params = "{lo: u32, hi: u32, expect: u32}", .visibility = CC },
    { .name = "delete_point", .params = "{id: u64, expect: u32}", .visibility = CC },
    { .name = "delete_eq", .params = "{k: u32, v: str}", .visibility = CC },
    { .name = "clear_all", .params = "{expect: u64}", .visibility = CC },
    { .name = "misc", .params = "{tag: str}", .visibility = CC },
    { .name = "schedule_now", .params = "{msg: str}", .visibility = CC },
    { .name = "ev_emit", .params = "{msg: str}", .visibility = CC },
    { .name = "tick", .params = "{arg: @4}" },
    { .name = "schedule_tick", .params = "{delay_micros: i64}", .visibility = CC },
    { .name = "selftest", .params = "{}", .visibility = CC },
    { .name = "fail_user", .params = "{}", .visibility = CC },
};
#define NREDUCERS (sizeof REDUCERS / sizeof REDUCERS[0])
static const md_procedure PROCS[] = {
    { "proc_tx", "{k: u32}", "u32", CC },
    { "proc_http", "{url: str}", "@7", CC },
    { "proc_sleep", "{micros: i64}", "i64", CC },
};
static const md_view VIEWS[] = {
    { "my_kv", 0, 1, 0, "{}", "[@6]" },
    { "all_kv_anon", 0, 1, 1, "{}", "[@6]" },
};
static const md_schedule SCHEDULES[] = { { "tick_timer_sched", "tick_timer", 1, "tick" } };
static const md_lifecycle LIFECYCLE[] = {
    { MD_INIT, "init" }, { MD_ON_CONNECT, "client_connected" }, { MD_ON_DISCONNECT, "client_disconnected" },
};
static const md_explicit_name NAMES[] = { { MD_NAME_TABLE, "kv", "kv" } };

static void describe(bsatn_buf *b) {
    md10 m; md10_begin(&m, b);
    md10_typespace(&m, TYPESPACE, NTYPES);
    md10_types(&m, TYPES, NTYPES);
    md10_tables(&m, TABLES, 4);
    md10_reducers(&m, REDUCERS, NREDUCERS);
    md10_procedures(&m, PROCS, 3);
    md10_views(&m, VIEWS, 2);
    md10_schedules(&m, SCHEDULES, 1);
    md10_lifecycles(&m, LIFECYCLE, 3);
    md10_rls(&m, 0, 0);
    md10_case_policy(&m, MD_CASE_SNAKE);
    md10_explicit_names(&m, NAMES, 1);
    md10_end(&m);
}
STDB_DEFINE_DESCRIBE(describe)

/* ------------------------------------------------------------------ the everything row */
typedef struct { const uint8_t *p; uint32_t n; } slice;
typedef struct {
    uint64_t id; int b; int8_t i8v; int16_t i16v; int32_t i32v; int64_t i64v; uint64_t i128v[2];
    uint64_t i256v[4]; uint8_t u8v; uint16_t u16v; uint32_t u32v; uint64_t u64v; uint64_t u128v[2];
    uint64_t u256v[4]; float f32v; double f64v; slice s; slice bytes; slice strings_raw;
    int has_opt; uint32_t opt; uint8_t color; uint8_t shape_tag; float circle; int32_t px, py; slice label;
    int32_t x, y; uint8_t ident[32]; uint8_t conn[16]; int64_t ts; int64_t dur; uint64_t uuid[2];
    uint8_t sched_tag; int64_t sched;
} Ev;

static uint32_t fnv1a(const uint8_t *p, uint32_t n) {
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < n; i++) { h ^= p[i]; h *= 16777619u; }
    return h;
}
static void ev_encode(bsatn_buf *b, const Ev *e) {
    bw_u64(b, e->id); bw_bool(b, e->b); bw_i8(b, e->i8v); bw_i16(b, e->i16v); bw_i32(b, e->i32v);
    bw_i64(b, e->i64v); bw_i128(b, e->i128v[0], e->i128v[1]);
    bw_i256(b, e->i256v[0], e->i256v[1], e->i256v[2], e->i256v[3]);
    bw_u8(b, e->u8v); bw_u16(b, e->u16v); bw_u32(b, e->u32v); bw_u64(b, e->u64v);
    bw_u128(b, e->u128v[0], e->u128v[1]); bw_u256(b, e->u256v[0], e->u256v[1], e->u256v[2], e->u256v[3]);
    bw_f32(b, e->f32v); bw_f64(b, e->f64v); bw_strn(b, e->s.p, e->s.n); bw_bytes(b, e->bytes.p, e->bytes.n);
    bw_raw(b, e->strings_raw.p, e->strings_raw.n);
    if (e->has_opt) { bw_some(b); bw_u32(b, e->opt); } else bw_none(b);
    bw_tag(b, e->color);
    bw_tag(b, e->shape_tag);
    if (e->shape_tag == 0) bw_f32(b, e->circle);
    else if (e->shape_tag == 1) { bw_i32(b, e->px); bw_i32(b, e->py); }
    else if (e->shape_tag == 2) bw_strn(b, e->label.p, e->label.n);
    bw_i32(b, e->x); bw_i32(b, e->y);
    bw_raw(b, e->ident, 32); bw_raw(b, e->conn, 16); bw_i64(b, e->ts); bw_i64(b, e->dur);
    bw_u128(b, e->uuid[0], e->uuid[1]); bw_tag(b, e->sched_tag); bw_i64(b, e->sched);
}
/* Decodes one row; returns 0 on a malformed row (r->err set). */
static int ev_decode(bsatn_reader *r, Ev *e) {
    e->id = br_u64(r); e->b = br_bool(r); e->i8v = br_i8(r); e->i16v = br_i16(r); e->i32v = br_i32(r);
    e->i64v = br_i64(r); br_u128(r, &e->i128v[0], &e->i128v[1]);
    for (int i = 0; i < 4; i++) e->i256v[i] = br_u64(r);
    e->u8v = br_u8(r); e->u16v = br_u16(r); e->u32v = br_u32(r); e->u64v = br_u64(r);
    br_u128(r, &e->u128v[0], &e->u128v[1]);
    for (int i = 0; i < 4; i++) e->u256v[i] = br_u64(r);
    e->f32v = br_f32(r); e->f64v = br_f64(r);
    e->s.p = br_str(r, &e->s.n); e->bytes.p = br_bytes(r, &e->bytes.n);
    uint32_t start = r->pos, n = br_len(r);
    for (uint32_t i = 0; i < n && !r->err; i++) { uint32_t l; br_str(r, &l); }
    e->strings_raw.p = r->p + start; e->strings_raw.n = r->pos - start;
    e->has_opt = br_tag(r, 2) == 0; e->opt = e->has_opt ? br_u32(r) : 0;
    e->color = br_tag(r, 3);
    e->shape_tag = br_tag(r, 4);
    if (e->shape_tag == 0) e->circle = br_f32(r);
    else if (e->shape_tag == 1) { e->px = br_i32(r); e->py = br_i32(r); }
    else if (e->shape_tag == 2) e->label.p = br_str(r, &e->label.n);
    e->x = br_i32(r); e->y = br_i32(r);
    br_raw(r, e->ident, 32); br_raw(r, e->conn, 16); e->ts = br_i64(r); e->dur = br_i64(r);
    br_u128(r, &e->uuid[0], &e->uuid[1]); e->sched_tag = br_tag(r, 2); e->sched = br_i64(r);
    return !r->err;
}
static const uint8_t STRINGS_PREFIX[] = { 2, 0, 0, 0, 1, 0, 0, 0, 'x' };
static void make_row(stdb_ctx *c, Ev *e, uint32_t u32v, const uint8_t *s, uint32_t sn) {
    memset(e, 0, sizeof *e);
    e->id = 0;  /* auto-inc */
    e->b = u32v & 1; e->i8v = (int8_t)-(int32_t)(u32v & 0x7f); e->i16v = -1000; e->i32v = -(int32_t)u32v;
    e->i64v = -(int64_t)u32v * 1000; e->i128v[0] = (uint64_t)-(int64_t)u32v; e->i128v[1] = u32v ? ~0ull : 0;
    for (int i = 0; i < 4; i++) e->i256v[i] = ~0ull;  /* -1 */
    e->u8v = (uint8_t)u32v; e->u16v = 65535; e->u32v = u32v; e->u64v = ((uint64_t)u32v << 32) | fnv1a(s, sn);
    e->u128v[0] = u32v; e->u128v[1] = 1; e->u256v[0] = u32v; e->u256v[3] = 1ull << 63;
    e->f32v = 1.5f; e->f64v = -2.25; e->s.p = s; e->s.n = sn;
    static uint8_t bytes[4]; bytes[0] = 1; bytes[1] = 2; bytes[2] = 3; bytes[3] = (uint8_t)u32v;
    e->bytes.p = bytes; e->bytes.n = 4;
    /* strings = ["x", s] */
    bsatn_buf sr = {0}; bw_raw(&sr, STRINGS_PREFIX, sizeof STRINGS_PREFIX); bw_strn(&sr, s, sn);
    e->strings_raw.p = sr.data; e->strings_raw.n = sr.len;
    e->has_opt = (u32v & 1) == 0; e->opt = u32v;
    e->color = (uint8_t)(u32v % 3);
    e->shape_tag = (uint8_t)(u32v % 4); e->circle = 0.5f; e->px = 1; e->py = 2; e->label = e->s;
    e->x = (int32_t)u32v; e->y = -(int32_t)u32v;
    memcpy(e->ident, c->sender, 32); memcpy(e->conn, c->conn, 16); e->ts = c->timestamp; e->dur = 1000000;
    e->uuid[0] = 0x0123456789abcdefull; e->uuid[1] = 0x4000000000000000ull | u32v;
    e->sched_tag = 0; e->sched = 1000000;
}

/* ------------------------------------------------------------------ helpers */
static int32_t tid(stdb_ctx *c, const char *name, TableId *out) {
    int32_t e = stdb_table_id(name, out);
    if (e) { bsatn_buf m = {0}; sb_str(&m, "table_id_from_name("); sb_str(&m, name); sb_str(&m, ")");
             bw_u8(&m, 0); return stdb_fail_errno(c, (const char *)m.data, e); }
    return 0;
}
static int32_t iid(stdb_ctx *c, const char *name, IndexId *out) {
    int32_t e = stdb_index_id(name, out);
    if (e) { bsatn_buf m = {0}; sb_str(&m, "index_id_from_name("); sb_str(&m, name); sb_str(&m, ")");
             bw_u8(&m, 0); return stdb_fail_errno(c, (const char *)m.data, e); }
    return 0;
}
static int32_t fail_count(stdb_ctx *c, const char *what, uint64_t got, uint64_t want) {
    bsatn_buf m = {0};
    sb_str(&m, what); sb_str(&m, ": got "); sb_u64(&m, got); sb_str(&m, ", expected "); sb_u64(&m, want);
    stdb_log_buf(STDB_LOG_ERROR, &m);
    return stdb_fail_buf(c, &m);
}
static void log_u64(const char *what, uint64_t v) {
    bsatn_buf m = {0}; sb_str(&m, what); sb_u64(&m, v); stdb_log_buf(STDB_LOG_INFO, &m);
}
/* Counts everything rows in a buffer of concatenated rows; -1 when malformed. */
static int64_t count_ev_rows(const bsatn_buf *rows) {
    bsatn_reader r; br_init(&r, rows->data, rows->len);
    int64_t n = 0; Ev e;
    while (r.pos < r.len) { if (!ev_decode(&r, &e)) return -1; n++; }
    return n;
}
static int bytes_lt(const uint8_t *a, uint32_t an, const uint8_t *b, uint32_t bn) {
    uint32_t n = an < bn ? an : bn; int c = memcmp(a, b, n);
    return c < 0 || (c == 0 && an < bn);
}

/* ------------------------------------------------------------------ reducers */
static int32_t init(stdb_ctx *c) { (void)c; stdb_log(STDB_LOG_INFO, "everything: init"); return 0; }
static int32_t client_connected(stdb_ctx *c) {
    bsatn_buf m = {0}; sb_str(&m, "everything: connected "); sb_hex_be(&m, c->sender, 32);
    stdb_log_buf(STDB_LOG_INFO, &m);
    BytesSource jwt = 0;
    STDB_TRY(c, "get_jwt", get_jwt(c->conn, &jwt));
    if (jwt) {
        bsatn_buf p; STDB_TRY(c, "bytes_source_read(jwt)", stdb_read_source(jwt, &p));
        bsatn_buf l = {0}; sb_str(&l, "jwt payload: "); sb_strn(&l, p.data, p.len); stdb_log_buf(STDB_LOG_INFO, &l);
    }
    return 0;
}
static int32_t client_disconnected(stdb_ctx *c) {
    bsatn_buf m = {0}; sb_str(&m, "everything: disconnected "); sb_hex_be(&m, c->sender, 32);
    stdb_log_buf(STDB_LOG_INFO, &m);
    return 0;
}
static int32_t insert_one(stdb_ctx *c) {
    uint32_t u32v = br_u32(&c->r), sn; const uint8_t *s = br_str(&c->r, &sn);
    STDB_ARGS_DONE(c, "insert_one");
    TableId t; if (tid(c, "everything", &t)) return 1;
    Ev e; make_row(c, &e, u32v, s, sn);
    bsatn_buf row = {0}; ev_encode(&row, &e);
    uint32_t len = row.len;
    STDB_TRY(c, "datastore_insert_bsatn(everything)", datastore_insert_bsatn(t, row.data, &len));
    if (len != 8) return fail_count(c, "datastore_insert_bsatn write-back length", len, 8);
    bsatn_reader r; br_init(&r, row.data, 8);
    uint64_t id = br_u64(&r);
    if (id < 1) return fail_count(c, "datastore_insert_bsatn write-back id (>= 1)", id, 1);
    log_u64("insert_one: id ", id);
    return 0;
}
static const char *const INDEX_NAMES[] = {
    "everything_id_idx_btree", "everything_u32v_s_idx_btree", "everything_u64v_idx_btree",
    "everything_i64v_idx_hash", "everything_u8v_idx_direct", "tick_timer_scheduled_id_idx_btree", "kv_k_idx_btree",
};
static const char *const TABLE_NAMES[] = { "everything", "tick_timer", "ev_log", "kv" };
static int32_t lookups(stdb_ctx *c) {
    STDB_ARGS_DONE(c, "lookups");
    for (uint32_t i = 0; i < 4; i++) {
        TableId t; if (tid(c, TABLE_NAMES[i], &t)) return 1;
        uint64_t n; STDB_TRY(c, "datastore_table_row_count", datastore_table_row_count(t, &n));
        bsatn_buf m = {0}; sb_str(&m, TABLE_NAMES[i]); sb_str(&m, ": table id "); sb_u64(&m, t);
        sb_str(&m, ", rows "); sb_u64(&m, n); stdb_log_buf(STDB_LOG_INFO, &m);
    }
    for (uint32_t i = 0; i < sizeof INDEX_NAMES / sizeof INDEX_NAMES[0]; i++) {
        IndexId x; if (iid(c, INDEX_NAMES[i], &x)) return 1;
    }
    TableId t; IndexId x;
    STDB_EXPECT(c, "table_id_from_name(no_such_table)", stdb_table_id("no_such_table", &t), STDB_NO_SUCH_TABLE);
    STDB_EXPECT(c, "index_id_from_name(no_such_index)", stdb_index_id("no_such_index", &x), STDB_NO_SUCH_INDEX);
    STDB_EXPECT(c, "datastore_table_row_count(0xFFFFFFF0)", ({ uint64_t n; datastore_table_row_count(0xFFFFFFF0u, &n); }), STDB_NO_SUCH_TABLE);
    return 0;
}
static int32_t scan_all(stdb_ctx *c) {
    STDB_ARGS_DONE(c, "scan_all");
    TableId t; if (tid(c, "everything", &t)) return 1;
    uint64_t count; STDB_TRY(c, "datastore_table_row_count(everything)", datastore_table_row_count(t, &count));
    if (count == 0) return stdb_fail(c, "scan_all needs at least one row in everything");
    RowIter it; STDB_TRY(c, "datastore_table_scan_bsatn(everything)", datastore_table_scan_bsatn(t, &it));
    uint8_t tiny[1]; uint32_t n = 1;
    STDB_EXPECT(c, "row_iter_bsatn_advance(1-byte buffer)", row_iter_bsatn_advance(it, tiny, &n), STDB_BUFFER_TOO_SMALL);
    if (n <= 1) return fail_count(c, "row_iter_bsatn_advance BUFFER_TOO_SMALL required size (> 1)", n, 2);
    bsatn_buf rows = {0};
    STDB_TRY(c, "row_iter_bsatn_advance(everything)", stdb_iter_collect(it, &rows));
    int64_t got = count_ev_rows(&rows);
    if (got < 0) return stdb_fail(c, "scan_all: malformed everything row");
    if ((uint64_t)got != count) return fail_count(c, "scan_all rows vs datastore_table_row_count", (uint64_t)got, count);
    RowIter it2; STDB_TRY(c, "datastore_table_scan_bsatn(everything) #2", datastore_table_scan_bsatn(t, &it2));
    STDB_TRY(c, "row_iter_bsatn_close", row_iter_bsatn_close(it2));
    STDB_EXPECT(c, "row_iter_bsatn_close(closed iter)", row_iter_bsatn_close(it2), STDB_NO_SUCH_ITER);
    uint8_t buf[16]; n = sizeof buf;
    STDB_EXPECT(c, "row_iter_bsatn_advance(bogus iter)", row_iter_bsatn_advance(0xFFFFFFF0u, buf, &n), STDB_NO_SUCH_ITER);
    log_u64("scan_all: rows ", count);
    return 0;
}
typedef int32_t (*range_fn)(IndexId, const uint8_t *, uint32_t, uint32_t, const uint8_t *, uint32_t,
                            const uint8_t *, uint32_t, RowIter *);
static int32_t range_scan(stdb_ctx *c) {
    uint32_t u32v = br_u32(&c->r), ln, hn; const uint8_t *lo = br_str(&c->r, &ln), *hi = br_str(&c->r, &hn);
    uint32_t expect = br_u32(&c->r);
    STDB_ARGS_DONE(c, "range_scan");
    IndexId x; if (iid(c, "everything_u32v_s_idx_btree", &x)) return 1;
    bsatn_buf prefix = {0}, rs = {0}, re = {0};
    bw_u32(&prefix, u32v);
    bw_tag(&rs, 0); bw_strn(&rs, lo, ln);   /* Bound::Included(lo) */
    bw_tag(&re, 1); bw_strn(&re, hi, hn);   /* Bound::Excluded(hi) */
    static const range_fn fns[2] = { datastore_index_scan_range_bsatn, datastore_btree_scan_bsatn };
    static const char *const names[2] = { "datastore_index_scan_range_bsatn", "datastore_btree_scan_bsatn" };
    for (int k = 0; k < 2; k++) {
        RowIter it; STDB_TRY(c, names[k], fns[k](x, prefix.data, prefix.len, 1, rs.data, rs.len, re.data, re.len, &it));
        bsatn_buf rows = {0}; STDB_TRY(c, "row_iter_bsatn_advance", stdb_iter_collect(it, &rows));
        bsatn_reader r; br_init(&r, rows.data, rows.len);
        uint32_t n = 0; Ev e;
        while (r.pos < r.len) {
            if (!ev_decode(&r, &e)) return stdb_fail(c, "range_scan: malformed row");
            if (e.u32v != u32v || bytes_lt(e.s.p, e.s.n, lo, ln) || !bytes_lt(e.s.p, e.s.n, hi, hn))
                return stdb_fail(c, "range_scan: row outside the requested range");
            n++;
        }
        if (n != expect) return fail_count(c, names[k], n, expect);
    }
    /* prefix_elems = 0: bounds apply to u32v, s unbounded */
    bsatn_buf b2 = {0}; bw_tag(&b2, 0); bw_u32(&b2, u32v);
    RowIter it; STDB_TRY(c, "datastore_index_scan_range_bsatn(prefix_elems 0)",
                         datastore_index_scan_range_bsatn(x, 0, 0, 0, b2.data, b2.len, b2.data, b2.len, &it));
    bsatn_buf rows = {0}; STDB_TRY(c, "row_iter_bsatn_advance", stdb_iter_collect(it, &rows));
    int64_t all = count_ev_rows(&rows);
    if (all < (int64_t)expect) return fail_count(c, "range_scan u32v in [u32v, u32v] (at least)", (uint64_t)all, expect);
    log_u64("range_scan: rows ", expect);
    return 0;
}
static int32_t point_scan(stdb_ctx *c) {
    uint32_t u32v = br_u32(&c->r), sn; const uint8_t *s = br_str(&c->r, &sn); uint32_t expect = br_u32(&c->r);
    STDB_ARGS_DONE(c, "point_scan");
    IndexId x, pk;
    if (iid(c, "everything_u32v_s_idx_btree", &x) || iid(c, "everything_id_idx_btree", &pk)) return 1;
    bsatn_buf key = {0}; bw_u32(&key, u32v); bw_strn(&key, s, sn);   /* product (u32v, s) */
    RowIter it; STDB_TRY(c, "datastore_index_scan_point_bsatn(u32v_s)", datastore_index_scan_point_bsatn(x, key.data, key.len, &it));
    bsatn_buf rows = {0}; STDB_TRY(c, "row_iter_bsatn_advance", stdb_iter_collect(it, &rows));
    bsatn_reader r; br_init(&r, rows.data, rows.len);
    uint32_t n = 0; Ev e;
    while (r.pos < r.len) {
        uint32_t start = r.pos;
        if (!ev_decode(&r, &e)) return stdb_fail(c, "point_scan: malformed row");
        bsatn_buf k2 = {0}; bw_u64(&k2, e.id);
        RowIter it2; STDB_TRY(c, "datastore_index_scan_point_bsatn(id)", datastore_index_scan_point_bsatn(pk, k2.data, k2.len, &it2));
        bsatn_buf one = {0}; STDB_TRY(c, "row_iter_bsatn_advance", stdb_iter_collect(it2, &one));
        if (one.len != r.pos - start || memcmp(one.data, rows.data + start, one.len))
            return stdb_fail(c, "point_scan: pk point scan returned a different row");
        n++;
    }
    if (n != expect) return fail_count(c, "datastore_index_scan_point_bsatn rows", n, expect);
    return 0;
}
static int32_t update_s(stdb_ctx *c) {
    uint64_t id = br_u64(&c->r); uint32_t sn; const uint8_t *s = br_str(&c->r, &sn);
    STDB_ARGS_DONE(c, "update_s");
    TableId t; IndexId pk, hash;
    if (tid(c, "everything", &t) || iid(c, "everything_id_idx_btree", &pk) || iid(c, "everything_i64v_idx_hash", &hash)) return 1;
    bsatn_buf key = {0}; bw_u64(&key, id);
    RowIter it; STDB_TRY(c, "datastore_index_scan_point_bsatn(id)", datastore_index_scan_point_bsatn(pk, key.data, key.len, &it));
    bsatn_buf rows = {0}; STDB_TRY(c, "row_iter_bsatn_advance", stdb_iter_collect(it, &rows));
    if (rows.len == 0) { bsatn_buf m = {0}; sb_str(&m, "update_s: no row with id "); sb_u64(&m, id); return stdb_fail_buf(c, &m); }
    bsatn_reader r; br_init(&r, rows.data, rows.len);
    Ev e; if (!ev_decode(&r, &e)) return stdb_fail(c, "update_s: malformed row");
    e.s.p = s; e.s.n = sn;
    bsatn_buf row = {0}; ev_encode(&row, &e);
    bsatn_buf copy = {0}; bw_raw(&copy, row.data, row.len);
    uint32_t len = row.len;
    STDB_TRY(c, "datastore_update_bsatn(everything_id_idx_btree)", datastore_update_bsatn(t, pk, row.data, &len));
    it = 0; STDB_TRY(c, "datastore_index_scan_point_bsatn(id)", datastore_index_scan_point_bsatn(pk, key.data, key.len, &it));
    bsatn_buf back = {0}; STDB_TRY(c, "row_iter_bsatn_advance", stdb_iter_collect(it, &back));
    if (back.len != copy.len || memcmp(back.data, copy.data, copy.len)) return stdb_fail(c, "update_s: row read back differs");
    /* a missing row */
    Ev g = e; g.id = ~0ull; g.u64v ^= 0x5555555555555555ull;
    bsatn_buf gr = {0}; ev_encode(&gr, &g); len = gr.len;
    STDB_EXPECT(c, "datastore_update_bsatn(missing id)", datastore_update_bsatn(t, pk, gr.data, &len), STDB_NO_SUCH_ROW);
    /* a non-unique index */
    bsatn_buf hr = {0}; ev_encode(&hr, &e); len = hr.len;
    STDB_EXPECT(c, "datastore_update_bsatn(hash index)", datastore_update_bsatn(t, hash, hr.data, &len), STDB_INDEX_NOT_UNIQUE);
    return 0;
}
static int32_t delete_range(stdb_ctx *c) {
    uint32_t lo = br_u32(&c->r), hi = br_u32(&c->r), expect = br_u32(&c->r);
    STDB_ARGS_DONE(c, "delete_range");
    IndexId x; if (iid(c, "everything_u32v_s_idx_btree", &x)) return 1;
    bsatn_buf rs = {0}, re = {0}; bw_tag(&rs, 0); bw_u32(&rs, lo); bw_tag(&re, 1); bw_u32(&re, hi);
    uint32_t deleted = 0;
    STDB_TRY(c, "datastore_delete_by_index_scan_range_bsatn",
             datastore_delete_by_index_scan_range_bsatn(x, 0, 0, 0, rs.data, rs.len, re.data, re.len, &deleted));
    if (deleted != expect) return fail_count(c, "datastore_delete_by_index_scan_range_bsatn deleted", deleted, expect);
    return 0;
}
static int32_t delete_point(stdb_ctx *c) {
    uint64_t id = br_u64(&c->r); uint32_t expect = br_u32(&c->r);
    STDB_ARGS_DONE(c, "delete_point");
    IndexId pk; if (iid(c, "everything_id_idx_btree", &pk)) return 1;
    bsatn_buf key = {0}; bw_u64(&key, id);
    uint32_t deleted = 0;
    STDB_TRY(c, "datastore_delete_by_index_scan_point_bsatn", datastore_delete_by_index_scan_point_bsatn(pk, key.data, key.len, &deleted));
    if (deleted != expect) return fail_count(c, "datastore_delete_by_index_scan_point_bsatn deleted", deleted, expect);
    return 0;
}
static int32_t delete_eq(stdb_ctx *c) {
    uint32_t k = br_u32(&c->r), vn; const uint8_t *v = br_str(&c->r, &vn);
    STDB_ARGS_DONE(c, "delete_eq");
    TableId t; IndexId x; if (tid(c, "kv", &t) || iid(c, "kv_k_idx_btree", &x)) return 1;
    bsatn_buf row = {0}; bw_u32(&row, k); bw_strn(&row, v, vn);
    bsatn_buf ins = {0}; bw_raw(&ins, row.data, row.len); uint32_t len = ins.len;
    STDB_TRY(c, "datastore_insert_bsatn(kv)", datastore_insert_bsatn(t, ins.data, &len));
    if (len != 0) return fail_count(c, "datastore_insert_bsatn(kv) write-back length (no sequences)", len, 0);
    bsatn_buf rel = {0}; bw_len(&rel, 1); bw_raw(&rel, row.data, row.len);
    uint32_t deleted = 0;
    STDB_TRY(c, "datastore_delete_all_by_eq_bsatn", datastore_delete_all_by_eq_bsatn(t, rel.data, rel.len, &deleted));
    if (deleted != 1) return fail_count(c, "datastore_delete_all_by_eq_bsatn deleted", deleted, 1);
    STDB_TRY(c, "datastore_delete_all_by_eq_bsatn #2", datastore_delete_all_by_eq_bsatn(t, rel.data, rel.len, &deleted));
    if (deleted != 0) return fail_count(c, "datastore_delete_all_by_eq_bsatn #2 deleted", deleted, 0);
    bw_reset(&ins); bw_raw(&ins, row.data, row.len); len = ins.len;
    STDB_TRY(c, "datastore_insert_bsatn(kv) #2", datastore_insert_bsatn(t, ins.data, &len));
    bsatn_buf rs = {0}; bw_tag(&rs, 0); bw_u32(&rs, k);   /* k in [k, k] */
    STDB_TRY(c, "datastore_delete_by_btree_scan_bsatn",
             datastore_delete_by_btree_scan_bsatn(x, 0, 0, 0, rs.data, rs.len, rs.data, rs.len, &deleted));
    if (deleted != 1) return fail_count(c, "datastore_delete_by_btree_scan_bsatn deleted", deleted, 1);
    return 0;
}
static int32_t clear_all(stdb_ctx *c) {
    uint64_t expect = br_u64(&c->r);
    STDB_ARGS_DONE(c, "clear_all");
    TableId t; if (tid(c, "everything", &t)) return 1;
    uint64_t deleted = 0, n = 1;
    STDB_TRY(c, "datastore_clear(everything)", datastore_clear(t, &deleted));
    if (expect != ~0ull && deleted != expect) return fail_count(c, "datastore_clear deleted", deleted, expect);
    STDB_TRY(c, "datastore_table_row_count(everything)", datastore_table_row_count(t, &n));
    if (n != 0) return fail_count(c, "row count after datastore_clear", n, 0);
    return 0;
}
static int32_t misc(stdb_ctx *c) {
    uint32_t tn; const uint8_t *tag = br_str(&c->r, &tn);
    STDB_ARGS_DONE(c, "misc");
    ConsoleTimerId tm = console_timer_start(tag, tn);
    STDB_TRY(c, "console_timer_end", console_timer_end(tm));
    STDB_EXPECT(c, "console_timer_end(ended timer)", console_timer_end(tm), STDB_NO_SUCH_CONSOLE_TIMER);
    uint8_t me[32]; memset(me, 0, 32); identity(me);
    bsatn_buf m = {0}; sb_str(&m, "misc: database identity "); sb_hex_be(&m, me, 32); stdb_log_buf(STDB_LOG_INFO, &m);
    BytesSource jwt = 0xFFFFFFFFu;
    STDB_TRY(c, "get_jwt", get_jwt(c->conn, &jwt));
    if (jwt) { bsatn_buf p; STDB_TRY(c, "bytes_source_read(jwt)", stdb_read_source(jwt, &p)); }
    if (c->args_src) {
        uint32_t rem;
        STDB_EXPECT(c, "bytes_source_remaining_length(exhausted args source)",
                    bytes_source_remaining_length(c->args_src, &rem), STDB_NO_SUCH_BYTES);
    }
    uint32_t one = 1;
    STDB_EXPECT(c, "bytes_sink_write(bogus sink)", bytes_sink_write(0xFFFFFFF0u, (const uint8_t *)"x", &one), STDB_NO_SUCH_BYTES);
    return 0;
}
static int32_t schedule_now(stdb_ctx *c) {
    uint32_t n; const uint8_t *msg = br_str(&c->r, &n);
    STDB_ARGS_DONE(c, "schedule_now");
    bsatn_buf args = {0}; bw_strn(&args, msg, n);
    volatile_nonatomic_schedule_immediate((const uint8_t *)"ev_emit", 7, args.data, args.len);
    return 0;
}
static int32_t insert_ev(stdb_ctx *c, const uint8_t *msg, uint32_t n, uint32_t num) {
    TableId t; if (tid(c, "ev_log", &t)) return 1;
    bsatn_buf row = {0}; bw_strn(&row, msg, n); bw_u32(&row, num);
    uint32_t len = row.len;
    STDB_TRY(c, "datastore_insert_bsatn(ev_log)", datastore_insert_bsatn(t, row.data, &len));
    return 0;
}
static int32_t ev_emit(stdb_ctx *c) {
    uint32_t n; const uint8_t *msg = br_str(&c->r, &n);
    STDB_ARGS_DONE(c, "ev_emit");
    return insert_ev(c, msg, n, n);
}
static int32_t tick(stdb_ctx *c) {
    uint64_t id = br_u64(&c->r); uint8_t tag = br_tag(&c->r, 2); br_i64(&c->r); (void)tag;
    STDB_ARGS_DONE(c, "tick");
    log_u64("tick ", id);
    return insert_ev(c, (const uint8_t *)"tick", 4, (uint32_t)id);
}
static int32_t schedule_tick(stdb_ctx *c) {
    int64_t delay = br_i64(&c->r);
    STDB_ARGS_DONE(c, "schedule_tick");
    TableId t; if (tid(c, "tick_timer", &t)) return 1;
    bsatn_buf row = {0}; bw_u64(&row, 0); bw_tag(&row, 1 /* Time */); bw_i64(&row, c->timestamp + delay);
    uint32_t len = row.len;
    STDB_TRY(c, "datastore_insert_bsatn(tick_timer)", datastore_insert_bsatn(t, row.data, &len));
    if (len != 8) return fail_count(c, "tick_timer write-back length", len, 8);
    bsatn_reader r; br_init(&r, row.data, 8); uint64_t id = br_u64(&r);
    if (id < 1) return fail_count(c, "tick_timer write-back scheduled_id (>= 1)", id, 1);
    log_u64("schedule_tick: scheduled_id ", id);
    return 0;
}
static int32_t fail_user(stdb_ctx *c) { return stdb_fail(c, "deliberate user error"); }

/* Runs fn with the given BSATN args (the ctx's reader is swapped for the duration). */
static int32_t call_with(stdb_ctx *c, stdb_fn fn, const bsatn_buf *args) {
    bsatn_reader saved = c->r;
    br_init(&c->r, args ? args->data : 0, args ? args->len : 0);
    int32_t rc = fn(c);
    c->r = saved;
    return rc;
}
static int32_t selftest(stdb_ctx *c) {
    STDB_ARGS_DONE(c, "selftest");
    bsatn_buf a = {0};
#define RUN(fn) do { if (call_with(c, fn, &a)) return 1; bw_reset(&a); } while (0)
    bw_u64(&a, ~0ull); RUN(clear_all);
    bw_u32(&a, 7); bw_str(&a, "a"); RUN(insert_one);
    bw_u32(&a, 7); bw_str(&a, "b"); RUN(insert_one);
    bw_u32(&a, 7); bw_str(&a, "c"); RUN(insert_one);
    bw_u32(&a, 9); bw_str(&a, "a"); RUN(insert_one);
    {   /* duplicate (u32v, s) -> u64v unique violation */
        TableId t; if (tid(c, "everything", &t)) return 1;
        Ev e; make_row(c, &e, 7, (const uint8_t *)"a", 1);
        bsatn_buf row = {0}; ev_encode(&row, &e); uint32_t len = row.len;
        STDB_EXPECT(c, "datastore_insert_bsatn(duplicate u64v)", datastore_insert_bsatn(t, row.data, &len), STDB_UNIQUE_ALREADY_EXISTS);
    }
    RUN(lookups);
    RUN(scan_all);
    bw_u32(&a, 7); bw_str(&a, "a"); bw_str(&a, "c"); bw_u32(&a, 2); RUN(range_scan);
    bw_u32(&a, 7); bw_str(&a, "b"); bw_u32(&a, 1); RUN(point_scan);
    {   /* find the id of (9, "a") and update it */
        IndexId x; if (iid(c, "everything_u32v_s_idx_btree", &x)) return 1;
        bsatn_buf key = {0}; bw_u32(&key, 9); bw_str(&key, "a");
        RowIter it; STDB_TRY(c, "datastore_index_scan_point_bsatn", datastore_index_scan_point_bsatn(x, key.data, key.len, &it));
        bsatn_buf rows = {0}; STDB_TRY(c, "row_iter_bsatn_advance", stdb_iter_collect(it, &rows));
        bsatn_reader r; br_init(&r, rows.data, rows.len); Ev e;
        if (!ev_decode(&r, &e)) return stdb_fail(c, "selftest: (9, a) not found");
        bw_u64(&a, e.id); bw_str(&a, "z"); RUN(update_s);
        bw_u32(&a, 9); bw_str(&a, "z"); bw_u32(&a, 1); RUN(point_scan);
        bw_u64(&a, e.id); bw_u32(&a, 1); RUN(delete_point);
        bw_u64(&a, e.id); bw_u32(&a, 0); RUN(delete_point);
    }
    bw_u32(&a, 42); bw_str(&a, "forty-two"); RUN(delete_eq);
    bw_u32(&a, 0); bw_u32(&a, 8); bw_u32(&a, 3); RUN(delete_range);
    bw_str(&a, "selftest"); RUN(misc);
    bw_str(&a, "from selftest"); RUN(schedule_now);
    bw_i64(&a, 60000000); RUN(schedule_tick);
    bw_u64(&a, 0); RUN(clear_all);
#undef RUN
    stdb_log(STDB_LOG_INFO, "selftest: ok");
    return 0;
}

STDB_DEFINE_REDUCERS(init, client_connected, client_disconnected, insert_one, lookups, scan_all, range_scan,
                     point_scan, update_s, delete_range, delete_point, delete_eq, clear_all, misc, schedule_now,
                     ev_emit, tick, schedule_tick, selftest, fail_user)

/* ------------------------------------------------------------------ procedures */
static int32_t count_kv(stdb_ctx *c, uint64_t *n) {
    TableId t; if (tid(c, "kv", &t)) return 1;
    STDB_TRY(c, "datastore_table_row_count(kv)", datastore_table_row_count(t, n));
    return 0;
}
static int32_t proc_tx(stdb_ctx *c) {
    uint32_t k = br_u32(&c->r);
    STDB_ARGS_DONE(c, "proc_tx");
    int64_t ts;
    STDB_TRY(c, "procedure_start_mut_tx #1", procedure_start_mut_tx(&ts));
    TableId t; if (tid(c, "kv", &t)) { procedure_abort_mut_tx(); return 1; }
    bsatn_buf row = {0}; bw_u32(&row, k); bw_str(&row, "proc"); uint32_t len = row.len;
    int32_t e = datastore_insert_bsatn(t, row.data, &len);
    if (e) { procedure_abort_mut_tx(); return stdb_fail_errno(c, "datastore_insert_bsatn(kv) in tx #1", e); }
    STDB_TRY(c, "procedure_commit_mut_tx #1", procedure_commit_mut_tx());
    STDB_TRY(c, "procedure_start_mut_tx #2", procedure_start_mut_tx(&ts));
    bw_reset(&row); bw_u32(&row, k + 1); bw_str(&row, "aborted"); len = row.len;
    e = datastore_insert_bsatn(t, row.data, &len);
    if (e) { procedure_abort_mut_tx(); return stdb_fail_errno(c, "datastore_insert_bsatn(kv) in tx #2", e); }
    STDB_TRY(c, "procedure_abort_mut_tx #2", procedure_abort_mut_tx());
    STDB_TRY(c, "procedure_start_mut_tx #3", procedure_start_mut_tx(&ts));
    IndexId x; if (iid(c, "kv_k_idx_btree", &x)) { procedure_abort_mut_tx(); return 1; }
    bsatn_buf key = {0}; bw_u32(&key, k + 1);
    RowIter it; bsatn_buf rows = {0};
    e = datastore_index_scan_point_bsatn(x, key.data, key.len, &it);
    if (!e) e = stdb_iter_collect(it, &rows);
    if (e) { procedure_abort_mut_tx(); return stdb_fail_errno(c, "datastore_index_scan_point_bsatn(kv) in tx #3", e); }
    if (rows.len) { procedure_abort_mut_tx(); return stdb_fail(c, "proc_tx: row of the aborted tx is visible"); }
    uint64_t n; if (count_kv(c, &n)) { procedure_abort_mut_tx(); return 1; }
    STDB_TRY(c, "procedure_commit_mut_tx #3", procedure_commit_mut_tx());
    bsatn_buf out = {0}; bw_u32(&out, (uint32_t)n);
    STDB_TRY(c, "bytes_sink_write(result)", stdb_sink_write(c->err, out.data, out.len));
    return 0;
}
static int32_t proc_http(stdb_ctx *c) {
    uint32_t un; const uint8_t *url = br_str(&c->r, &un);
    STDB_ARGS_DONE(c, "proc_http");
    bsatn_buf req = {0};
    bw_tag(&req, 0);                        /* method: Get */
    bw_len(&req, 0);                        /* headers: {entries: []} */
    bw_some(&req); bw_i64(&req, 5000000);   /* timeout: Some(5 s) */
    bw_strn(&req, url, un);                 /* uri */
    bw_tag(&req, 2);                        /* version: Http11 */
    BytesSource out[2] = { 0, 0 };
    int32_t e = procedure_http_request(req.data, req.len, 0, 0, out);
    bsatn_buf res = {0};
    if (e == STDB_HTTP_ERROR) {
        bsatn_buf err; STDB_TRY(c, "bytes_source_read(http error)", stdb_read_source(out[0], &err));
        bsatn_reader r; br_init(&r, err.data, err.len); uint32_t n; const uint8_t *msg = br_str(&r, &n);
        if (r.err) return stdb_fail(c, "proc_http: malformed HTTP_ERROR string");
        bw_bool(&res, 0); bw_u16(&res, 0); bw_strn(&res, msg, n);
    } else if (e == 0) {
        bsatn_buf meta, body;
        STDB_TRY(c, "bytes_source_read(http response)", stdb_read_source(out[0], &meta));
        STDB_TRY(c, "bytes_source_read(http body)", stdb_read_source(out[1], &body));
        bsatn_reader r; br_init(&r, meta.data, meta.len);
        uint32_t nh = br_len(&r);
        for (uint32_t i = 0; i < nh && !r.err; i++) { uint32_t l; br_str(&r, &l); br_bytes(&r, &l); }
        br_tag(&r, 5); uint16_t code = br_u16(&r);
        if (!br_done(&r)) return stdb_fail(c, "proc_http: malformed http::Response");
        bw_bool(&res, 1); bw_u16(&res, code); bw_strn(&res, body.data, body.len);
    } else return stdb_fail_errno(c, "procedure_http_request", e);
    STDB_TRY(c, "bytes_sink_write(result)", stdb_sink_write(c->err, res.data, res.len));
    return 0;
}
static int32_t proc_sleep(stdb_ctx *c) {
    int64_t micros = br_i64(&c->r);
    STDB_ARGS_DONE(c, "proc_sleep");
    int64_t woke = procedure_sleep_until(c->timestamp + micros);
    bsatn_buf out = {0}; bw_i64(&out, woke);
    STDB_TRY(c, "bytes_sink_write(result)", stdb_sink_write(c->err, out.data, out.len));
    return 0;
}
STDB_DEFINE_PROCEDURES(proc_tx, proc_http, proc_sleep)

/* ------------------------------------------------------------------ views */
static int32_t kv_rows(stdb_ctx *c, bsatn_buf *rows, uint32_t *n) {
    TableId t; if (tid(c, "kv", &t)) return 1;
    RowIter it; STDB_TRY(c, "datastore_table_scan_bsatn(kv)", datastore_table_scan_bsatn(t, &it));
    STDB_TRY(c, "row_iter_bsatn_advance(kv)", stdb_iter_collect(it, rows));
    bsatn_reader r; br_init(&r, rows->data, rows->len); *n = 0;
    while (r.pos < r.len && !r.err) { uint32_t l; br_u32(&r); br_str(&r, &l); (*n)++; }
    if (r.err) return stdb_fail(c, "view: malformed kv row");
    return 0;
}
static int32_t my_kv(stdb_ctx *c) {
    bsatn_buf rows = {0}; uint32_t n;
    if (kv_rows(c, &rows, &n)) return 1;
    bsatn_buf out = {0}; bw_tag(&out, 0 /* ViewResultHeader::RowData */); bw_len(&out, n); bw_raw(&out, rows.data, rows.len);
    STDB_TRY(c, "bytes_sink_write(view)", stdb_sink_write(c->err, out.data, out.len));
    return 2;
}
static int32_t all_kv_anon(stdb_ctx *c) {
    bsatn_buf rows = {0}; uint32_t n;
    if (kv_rows(c, &rows, &n)) return 1;
    bsatn_buf out = {0}; bw_len(&out, n); bw_raw(&out, rows.data, rows.len);
    STDB_TRY(c, "bytes_sink_write(view)", stdb_sink_write(c->err, out.data, out.len));
    return 0;
}
STDB_DEFINE_VIEWS(my_kv)
STDB_DEFINE_ANON_VIEWS(all_kv_anon)
