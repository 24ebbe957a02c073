/*
 * rls.c -- row-level security and a private table, written with the Lightcone C kit.
 * RawModuleDef V10. ABI imports: spacetime_10.0.
 *
 * Typespace:  0 = Message {id: u64, owner: Identity, text: String}
 *             1 = Secret {k: u32, v: String}
 * Tables:     message (row @0)  public; pk id, BTree message_id_idx_btree, unique message_id_key,
 *                               sequence message_id_seq (auto-increment id)
 *             secret  (row @1)  PRIVATE; pk k, BTree secret_k_idx_btree, unique secret_k_key
 * Row-level security (a client that is not the owner sees a message when either rule selects it):
 *             SELECT * FROM message WHERE owner = :sender
 *             SELECT * FROM message WHERE text = 'hello all'
 * Reducers (id = index passed to __call_reducer__):
 *   0 post(text: String)              client-callable; inserts Message{id: auto, owner: sender, text}
 *   1 put_secret(k: u32, v: String)   client-callable; inserts Secret{k, v}
 */
#include "kit/stdb.h"

static const char *const TYPESPACE[] = { "{id: u64, owner: identity, text: str}", "{k: u32, v: str}" };
static const md_typename TYPES[] = { { "Message", 0, 1 }, { "Secret", 1, 1 } };
static const md_index MSG_IDX[] = { { MD_BTREE, "message_id_idx_btree", "id", {0}, 1 } };
static const md_unique MSG_UNQ[] = { { "message_id_key", {0}, 1 } };
static const md_sequence MSG_SEQ[] = { { .name = "message_id_seq", .col = 0, .increment = 1 } };
static const md_index SEC_IDX[] = { { MD_BTREE, "secret_k_idx_btree", "k", {0}, 1 } };
static const md_unique SEC_UNQ[] = { { "secret_k_key", {0}, 1 } };
static const md_table TABLES[] = {
    { .name = "message", .type_ref = 0, .pk = {0}, .npk = 1, .indexes = MSG_IDX, .nindexes = 1,
      .uniques = MSG_UNQ, .nuniques = 1, .seqs = MSG_SEQ, .nseqs = 1, .access = MD_PUBLIC },
    { .name = "secret", .type_ref = 1, .pk = {0}, .npk = 1, .indexes = SEC_IDX, .nindexes = 1,
      .uniques = SEC_UNQ, .nuniques = 1, .access = MD_PRIVATE },
};
static const md_reducer REDUCERS[] = {
    { "post", "{text: str}", MD_FN_CLIENT_CALLABLE },
    { "put_secret", "{k: u32, v: str}", MD_FN_CLIENT_CALLABLE },
};
static const char *const RLS[] = {
    "SELECT * FROM message WHERE owner = :sender",
    "SELECT * FROM message WHERE text = 'hello all'",
};

static void describe(bsatn_buf *b) {
    md10 m; md10_begin(&m, b);
    md10_typespace(&m, TYPESPACE, 2);
    md10_types(&m, TYPES, 2);
    md10_tables(&m, TABLES, 2);
    md10_reducers(&m, REDUCERS, 2);
    md10_rls(&m, RLS, 2);
    md10_end(&m);
}
STDB_DEFINE_DESCRIBE(describe)

static int32_t post(stdb_ctx *c) {
    uint32_t n; const uint8_t *text = br_str(&c->r, &n);
    STDB_ARGS_DONE(c, "post");
    TableId t; STDB_TRY(c, "table_id_from_name(message)", stdb_table_id("message", &t));
    bsatn_buf row = {0}; bw_u64(&row, 0); bw_raw(&row, c->sender, 32); bw_strn(&row, text, n);
    uint32_t len = row.len;
    STDB_TRY(c, "datastore_insert_bsatn(message)", datastore_insert_bsatn(t, row.data, &len));
    return 0;
}
static int32_t put_secret(stdb_ctx *c) {
    uint32_t k = br_u32(&c->r);
    uint32_t n; const uint8_t *v = br_str(&c->r, &n);
    STDB_ARGS_DONE(c, "put_secret");
    TableId t; STDB_TRY(c, "table_id_from_name(secret)", stdb_table_id("secret", &t));
    bsatn_buf row = {0}; bw_u32(&row, k); bw_strn(&row, v, n);
    uint32_t len = row.len;
    STDB_TRY(c, "datastore_insert_bsatn(secret)", datastore_insert_bsatn(t, row.data, &len));
    return 0;
}
STDB_DEFINE_REDUCERS(post, put_secret)
