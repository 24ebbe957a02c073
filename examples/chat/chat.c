/*
 * chat.c -- the chat example module: users with optional names and an online flag, and messages.
 * Modelled on SpacetimeDB's chat quickstart (same tables, reducers and lifecycle), written in C with
 * the Lightcone C module kit (../../wasm-aot/src/test/modules/kit). RawModuleDef V10.
 * ABI imports: spacetime_10.0, 10.1 (argument length), 10.4 (point scans and point deletes).
 *
 * Typespace:  0 = User    {identity: Identity, name: Option<String>, online: bool}      (Types: "User" -> 0)
 *             1 = Message {id: u64, sender: Identity, sent: Timestamp, text: String}    (Types: "Message" -> 1)
 * Tables (both public):
 *   user (@0)     pk [identity]; index user_identity_idx_btree BTree[identity] accessor "identity";
 *                 unique user_identity_key [identity]
 *   message (@1)  pk [id]; index message_id_idx_btree BTree[id] accessor "id"; unique message_id_key [id];
 *                 sequence message_id_seq on id (increment 1): insert id 0 and the host assigns the next id
 * Reducers (id = index passed to __call_reducer__):
 *   0 set_name(name: String)     names the caller (logs "<identity> is now called <name>"); user errors
 *                                "Names must not be empty", "Cannot set name for unknown user"
 *   1 send_message(text: String) inserts Message{auto id, caller, call timestamp, text};
 *                                user error "Messages must not be empty"
 *   2 delete_message(id: u64)    deletes the caller's own message; user errors "message <id> not found",
 *                                "only the sender may delete message <id>"
 *   3 client_connected()         OnConnect: the caller's user row gets online = true (inserted with
 *                                name None when the identity is new)
 *   4 client_disconnected()      OnDisconnect: the caller's user row gets online = false
 *   Both lifecycle reducers log "client connected: <identity>" / "client disconnected: <identity>".
 */
#include "../../wasm-aot/src/test/modules/kit/stdb.h"

static const char *const TYPESPACE[] = {
    "{identity: identity, name: ?str, online: bool}",
    "{id: u64, sender: identity, sent: timestamp, text: str}",
};
static const md_typename TYPES[] = { { "User", 0, 1 }, { "Message", 1, 1 } };
static const md_index USER_IDX[] = { { MD_BTREE, "user_identity_idx_btree", "identity", {0}, 1 } };
static const md_unique USER_UNQ[] = { { "user_identity_key", {0}, 1 } };
static const md_index MSG_IDX[] = { { MD_BTREE, "message_id_idx_btree", "id", {0}, 1 } };
static const md_unique MSG_UNQ[] = { { "message_id_key", {0}, 1 } };
static const md_sequence MSG_SEQ[] = { { .name = "message_id_seq", .col = 0, .increment = 1 } };
static const md_table TABLES[] = {
    { .name = "user", .type_ref = 0, .pk = {0}, .npk = 1, .indexes = USER_IDX, .nindexes = 1,
      .uniques = USER_UNQ, .nuniques = 1, .access = MD_PUBLIC },
    { .name = "message", .type_ref = 1, .pk = {0}, .npk = 1, .indexes = MSG_IDX, .nindexes = 1,
      .uniques = MSG_UNQ, .nuniques = 1, .seqs = MSG_SEQ, .nseqs = 1, .access = MD_PUBLIC },
};
static const md_reducer REDUCERS[] = {
    { "set_name", "{name: str}", MD_FN_CLIENT_CALLABLE },
    { "send_message", "{text: str}", MD_FN_CLIENT_CALLABLE },
    { "delete_message", "{id: u64}", MD_FN_CLIENT_CALLABLE },
    { "client_connected", "{}", MD_FN_PRIVATE },
    { "client_disconnected", "{}", MD_FN_PRIVATE },
};
static const md_lifecycle LIFECYCLE[] = {
    { MD_ON_CONNECT, "client_connected" }, { MD_ON_DISCONNECT, "client_disconnected" },
};

static void describe(bsatn_buf *b) {
    md10 m; md10_begin(&m, b);
    md10_typespace(&m, TYPESPACE, 2);
    md10_types(&m, TYPES, 2);
    md10_tables(&m, TABLES, 2);
    md10_reducers(&m, REDUCERS, 5);
    md10_lifecycles(&m, LIFECYCLE, 2);
    md10_end(&m);
}
STDB_DEFINE_DESCRIBE(describe)

/* ------------------------------------------------------------------ ids, looked up once per instance */
static TableId user_tid, message_tid; static IndexId user_iid, message_iid; static int ids_ok;
static int32_t lookup_ids(stdb_ctx *c) {
    if (ids_ok) return 0;
    STDB_TRY(c, "table_id_from_name(user)", stdb_table_id("user", &user_tid));
    STDB_TRY(c, "table_id_from_name(message)", stdb_table_id("message", &message_tid));
    STDB_TRY(c, "index_id_from_name(user_identity_idx_btree)", stdb_index_id("user_identity_idx_btree", &user_iid));
    STDB_TRY(c, "index_id_from_name(message_id_idx_btree)", stdb_index_id("message_id_idx_btree", &message_iid));
    ids_ok = 1;
    return 0;
}

/* Point lookup through a unique index: 1 = found (row set), 0 = missing, -1 = failure already reported. */
static int find_one(stdb_ctx *c, IndexId index, const uint8_t *key, uint32_t key_len, bsatn_buf *row) {
    RowIter it;
    int32_t e = datastore_index_scan_point_bsatn(index, key, key_len, &it);
    if (e) { stdb_fail_errno(c, "datastore_index_scan_point_bsatn", e); return -1; }
    row->data = 0; row->len = row->cap = 0;
    e = stdb_iter_collect(it, row);
    if (e) { stdb_fail_errno(c, "row_iter_bsatn_advance", e); return -1; }
    return row->len > 0;
}

/* ------------------------------------------------------------------ user rows */
typedef struct { const uint8_t *name; uint32_t name_len; int has_name; int online; } user_row;

/* Finds the caller's user row: 1 = found (u set), 0 = missing, -1 = failure already reported. */
static int find_user(stdb_ctx *c, user_row *u) {
    bsatn_buf row;
    int f = find_one(c, user_iid, c->sender, 32, &row);
    if (f <= 0) return f;
    bsatn_reader r; br_init(&r, row.data, row.len);
    br_skip(&r, 32);
    u->has_name = br_tag(&r, 2) == 0;
    u->name = 0; u->name_len = 0;
    if (u->has_name) u->name = br_str(&r, &u->name_len);
    u->online = br_bool(&r);
    if (!br_done(&r)) { stdb_fail(c, "malformed user row"); return -1; }
    return 1;
}
/* Inserts (found = 0) or rewrites (found = 1) the caller's user row. */
static int32_t put_user(stdb_ctx *c, int found, const user_row *u) {
    bsatn_buf row = {0};
    bw_raw(&row, c->sender, 32);
    if (u->has_name) { bw_some(&row); bw_strn(&row, u->name, u->name_len); } else bw_none(&row);
    bw_bool(&row, u->online);
    if (found) STDB_TRY(c, "datastore_update_bsatn(user)", datastore_update_bsatn(user_tid, user_iid, row.data, &row.len));
    else STDB_TRY(c, "datastore_insert_bsatn(user)", datastore_insert_bsatn(user_tid, row.data, &row.len));
    return 0;
}
static int32_t set_online(stdb_ctx *c, int online) {
    if (lookup_ids(c)) return 1;
    user_row u = { 0, 0, 0, 0 };
    int f = find_user(c, &u);
    if (f < 0) return 1;
    if (f == 0 && !online) {
        bsatn_buf m = {0};
        sb_str(&m, "disconnect of unknown user "); sb_hex_be(&m, c->sender, 32);
        stdb_log_buf(STDB_LOG_WARN, &m);
        return 0;
    }
    u.online = online;
    bsatn_buf m = {0};
    sb_str(&m, online ? "client connected: " : "client disconnected: "); sb_hex_be(&m, c->sender, 32);
    stdb_log_buf(STDB_LOG_INFO, &m);
    return put_user(c, f, &u);
}

/* ------------------------------------------------------------------ reducers */
static int32_t set_name(stdb_ctx *c) {
    uint32_t n; const uint8_t *name = br_str(&c->r, &n);
    STDB_ARGS_DONE(c, "set_name");
    if (n == 0) return stdb_fail(c, "Names must not be empty");
    if (lookup_ids(c)) return 1;
    user_row u = { 0, 0, 0, 0 };
    int f = find_user(c, &u);
    if (f < 0) return 1;
    if (f == 0) return stdb_fail(c, "Cannot set name for unknown user");
    u.has_name = 1; u.name = name; u.name_len = n;
    bsatn_buf m = {0};
    sb_hex_be(&m, c->sender, 32); sb_str(&m, " is now called "); sb_strn(&m, name, n);
    stdb_log_buf(STDB_LOG_INFO, &m);
    return put_user(c, 1, &u);
}
static int32_t send_message(stdb_ctx *c) {
    uint32_t n; const uint8_t *text = br_str(&c->r, &n);
    STDB_ARGS_DONE(c, "send_message");
    if (n == 0) return stdb_fail(c, "Messages must not be empty");
    if (lookup_ids(c)) return 1;
    bsatn_buf row = {0};
    bw_u64(&row, 0); bw_raw(&row, c->sender, 32); bw_i64(&row, c->timestamp); bw_strn(&row, text, n);
    STDB_TRY(c, "datastore_insert_bsatn(message)", datastore_insert_bsatn(message_tid, row.data, &row.len));
    return 0;
}
/* "<before><id><after>" as the user error */
static int32_t fail_message(stdb_ctx *c, const char *before, uint64_t id, const char *after) {
    bsatn_buf m = {0}; sb_str(&m, before); sb_u64(&m, id); sb_str(&m, after);
    return stdb_fail_buf(c, &m);
}
static int32_t delete_message(stdb_ctx *c) {
    uint64_t id = br_u64(&c->r);
    STDB_ARGS_DONE(c, "delete_message");
    if (lookup_ids(c)) return 1;
    uint8_t key[8]; bsatn_buf k = { key, 0, 8 }; bw_u64(&k, id);
    bsatn_buf row;
    int f = find_one(c, message_iid, key, 8, &row);
    if (f < 0) return 1;
    if (f == 0) return fail_message(c, "message ", id, " not found");
    if (row.len < 40) return stdb_fail(c, "malformed message row");
    if (!stdb_memeq(row.data + 8, c->sender, 32)) return fail_message(c, "only the sender may delete message ", id, "");
    uint32_t deleted;
    STDB_TRY(c, "datastore_delete_by_index_scan_point_bsatn(message)",
             datastore_delete_by_index_scan_point_bsatn(message_iid, key, 8, &deleted));
    return 0;
}
static int32_t client_connected(stdb_ctx *c) { return set_online(c, 1); }
static int32_t client_disconnected(stdb_ctx *c) { return set_online(c, 0); }

STDB_DEFINE_REDUCERS(set_name, send_message, delete_message, client_connected, client_disconnected)
