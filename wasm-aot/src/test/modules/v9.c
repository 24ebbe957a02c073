/*
 * v9.c -- a small module that emits RawModuleDef::V9 (tag 1), Lightcone C kit.
 * ABI imports: spacetime_10.0, spacetime_10.1.
 *
 * Typespace:  0 = Note {id: u64, text: String}    1 = Reminder {scheduled_id: u64, scheduled_at: ScheduleAt}
 *             (Types: "Note" -> 0, "Reminder" -> 1)
 * Tables:
 *   note (@0) public; pk [id]; index note_id_idx_btree BTree[id]; unique note_id_key [id];
 *        sequence note_id_seq on id (increment 1)
 *   reminder (@1) private; pk [scheduled_id]; index reminder_scheduled_id_idx_btree; unique
 *        reminder_scheduled_id_key; sequence reminder_scheduled_id_seq;
 *        schedule: Some({name: "reminder_sched", reducer_name: "remind", scheduled_at_column: 1})
 * Reducers (V9: lifecycle is a field of the reducer):
 *   0 init()                         lifecycle Some(Init); logs "v9: init"
 *   1 add_note(text: String)         inserts Note{0 (auto-inc), text}; fails "empty note" when text is empty
 *   2 remind(arg: Reminder)          scheduled reducer; logs "remind <scheduled_id>"
 * misc_exports: [], row_level_security: []
 */
#include "kit/stdb.h"

static const char *const TYPESPACE[] = { "{id: u64, text: str}", "{scheduled_id: u64, scheduled_at: scheduleat}" };
static const md_typename TYPES[] = { { "Note", 0, 1 }, { "Reminder", 1, 1 } };
static const md_index NOTE_IDX[] = { { MD_BTREE, "note_id_idx_btree", "id", {0}, 1 } };
static const md_unique NOTE_UNQ[] = { { "note_id_key", {0}, 1 } };
static const md_sequence NOTE_SEQ[] = { { .name = "note_id_seq", .col = 0, .increment = 1 } };
static const md_index REM_IDX[] = { { MD_BTREE, "reminder_scheduled_id_idx_btree", "scheduled_id", {0}, 1 } };
static const md_unique REM_UNQ[] = { { "reminder_scheduled_id_key", {0}, 1 } };
static const md_sequence REM_SEQ[] = { { .name = "reminder_scheduled_id_seq", .col = 0, .increment = 1 } };
static const md_table TABLES[] = {
    { .name = "note", .type_ref = 0, .pk = {0}, .npk = 1, .indexes = NOTE_IDX, .nindexes = 1,
      .uniques = NOTE_UNQ, .nuniques = 1, .seqs = NOTE_SEQ, .nseqs = 1, .access = MD_PUBLIC },
    { .name = "reminder", .type_ref = 1, .pk = {0}, .npk = 1, .indexes = REM_IDX, .nindexes = 1,
      .uniques = REM_UNQ, .nuniques = 1, .seqs = REM_SEQ, .nseqs = 1, .access = MD_PRIVATE,
      .schedule_reducer = "remind", .schedule_name = "reminder_sched", .schedule_col = 1 },
};
static const md_reducer REDUCERS[] = {
    { .name = "init", .params = "{}", .lifecycle = MD_INIT },
    { .name = "add_note", .params = "{text: str}", .lifecycle = MD_NO_LIFECYCLE },
    { .name = "remind", .params = "{arg: @1}", .lifecycle = MD_NO_LIFECYCLE },
};
static void describe(bsatn_buf *b) {
    md9_write(b, TYPESPACE, 2, TABLES, 2, REDUCERS, 3, TYPES, 2, 0, 0, 0, 0, 0, 0);
}
STDB_DEFINE_DESCRIBE(describe)

static int32_t init(stdb_ctx *c) { (void)c; stdb_log(STDB_LOG_INFO, "v9: init"); return 0; }
static int32_t add_note(stdb_ctx *c) {
    uint32_t n; const uint8_t *text = br_str(&c->r, &n);
    STDB_ARGS_DONE(c, "add_note");
    if (n == 0) return stdb_fail(c, "empty note");
    TableId t; STDB_TRY(c, "table_id_from_name(note)", stdb_table_id("note", &t));
    bsatn_buf row = {0}; bw_u64(&row, 0); bw_strn(&row, text, n);
    uint32_t len = row.len;
    STDB_TRY(c, "datastore_insert_bsatn(note)", datastore_insert_bsatn(t, row.data, &len));
    return 0;
}
static int32_t remind(stdb_ctx *c) {
    uint64_t id = br_u64(&c->r); br_tag(&c->r, 2); br_i64(&c->r);
    STDB_ARGS_DONE(c, "remind");
    bsatn_buf m = {0}; sb_str(&m, "remind "); sb_u64(&m, id); stdb_log_buf(STDB_LOG_INFO, &m);
    return 0;
}
STDB_DEFINE_REDUCERS(init, add_note, remind)
