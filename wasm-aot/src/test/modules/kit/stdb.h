/*
 * stdb.h -- Lightcone C module kit: the one header a module includes.
 *
 *   stdb_read_source(src, &buf)      read a BytesSource fully (remaining_length, then bytes_source_read
 *                                    until -1); source 0 = empty. Returns 0 or the errno.
 *   stdb_sink_write(sink, p, n)      write all bytes to a BytesSink (loops on partial writes).
 *   stdb_log(level, msg) / stdb_log_buf(level, &buf)   console_log with target "lightcone-cmod".
 *   sb_str/sb_strn/sb_u64/sb_i64/sb_hex_le/sb_hex_be   message building on a bsatn_buf.
 *   stdb_ctx                          per-call context: sender, connection id, timestamp, args bytes
 *                                    + reader, and the error (or result) sink.
 *   stdb_fail(ctx, msg), stdb_fail_buf(ctx, &buf)      write message to ctx->err, return 1.
 *   stdb_fail_errno(ctx, "call", e)  "call returned errno E (NAME)" -> 1.
 *   STDB_TRY(ctx, "call", expr)      return stdb_fail_errno(...) when expr != 0.
 *   STDB_EXPECT(ctx, "call", expr, want)   same, but expects errno `want`.
 *   stdb_iter_collect(iter, &buf)    advance a RowIter to exhaustion, appending rows; returns errno.
 *   stdb_table_id / stdb_index_id    name lookups (C string).
 *   STDB_DEFINE_REDUCERS(fn...)      defines __call_reducer__ dispatching by id into the list.
 *   STDB_DEFINE_DESCRIBE(fn)         defines __describe_module__: fn(bsatn_buf*) builds the def, the kit
 *                                    writes it to the sink.
 * Every dispatched call rewinds the bump heap afterwards.
 */
#ifndef STDB_H
#define STDB_H
#include "stdb_abi.h"
#include "mem.h"
#include "bsatn.h"
#include "moduledef.h"

#define STDB_LOG_TARGET "lightcone-cmod"

static int32_t stdb_read_source(BytesSource src, bsatn_buf *out) {
    out->data = 0; out->len = out->cap = 0;
    if (src == 0) { bw_init(out, 16); return 0; }
    uint32_t remaining = 0;
    int32_t rc = bytes_source_remaining_length(src, &remaining);
    if (rc != 0) return rc;
    bw_init(out, remaining + 1);
    for (;;) {
        if (out->len == out->cap) bw_reserve(out, 1024);
        uint32_t n = out->cap - out->len;
        rc = bytes_source_read(src, out->data + out->len, &n);
        out->len += n;
        if (rc == STDB_EXHAUSTED) return 0;
        if (rc != 0) return rc;
    }
}
static int32_t stdb_sink_write(BytesSink sink, const void *p, uint32_t n) {
    const uint8_t *q = p;
    while (n) {
        uint32_t w = n;
        int32_t rc = bytes_sink_write(sink, q, &w);
        if (rc != 0) return rc;
        if (w == 0) return STDB_NO_SPACE;
        q += w; n -= w;
    }
    return 0;
}
static inline void stdb_logn(uint32_t level, const void *msg, uint32_t n) {
    console_log(level, (const uint8_t *)STDB_LOG_TARGET, sizeof(STDB_LOG_TARGET) - 1, 0, 0, STDB_NO_LINE,
                (const uint8_t *)msg, n);
}
static inline void stdb_log(uint32_t level, const char *msg) { stdb_logn(level, msg, stdb_strlen(msg)); }
static inline void stdb_log_buf(uint32_t level, const bsatn_buf *b) { stdb_logn(level, b->data, b->len); }

/* ------------------------------------------------------------------ message building */
static inline void sb_strn(bsatn_buf *b, const void *s, uint32_t n) { bw_raw(b, s, n); }
static inline void sb_str(bsatn_buf *b, const char *s) { bw_raw(b, s, stdb_strlen(s)); }
static void sb_u64(bsatn_buf *b, uint64_t v) {
    char tmp[20]; int n = 0;
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) bw_u8(b, (uint8_t)tmp[--n]);
}
static void sb_i64(bsatn_buf *b, int64_t v) {
    if (v < 0) { bw_u8(b, '-'); sb_u64(b, 0 - (uint64_t)v); } else sb_u64(b, (uint64_t)v);
}
static void sb_hex_le(bsatn_buf *b, const uint8_t *p, uint32_t n) {  /* bytes in memory order */
    static const char hx[] = "0123456789abcdef";
    for (uint32_t i = 0; i < n; i++) { bw_u8(b, hx[p[i] >> 4]); bw_u8(b, hx[p[i] & 15]); }
}
static void sb_hex_be(bsatn_buf *b, const uint8_t *p, uint32_t n) {  /* LE number -> canonical BE hex */
    static const char hx[] = "0123456789abcdef";
    for (uint32_t i = n; i > 0; i--) { bw_u8(b, hx[p[i - 1] >> 4]); bw_u8(b, hx[p[i - 1] & 15]); }
}

/* ------------------------------------------------------------------ call context */
typedef struct {
    uint32_t id;
    uint8_t sender[32];       /* Identity, LE */
    uint8_t conn[16];         /* ConnectionId, LE; all zero = none */
    int has_conn;
    int64_t timestamp;        /* micros since unix epoch */
    BytesSource args_src;
    bsatn_buf args;           /* the whole args source */
    bsatn_reader r;           /* reader over args */
    BytesSink err;            /* error sink (reducers) / result sink (procedures, views) */
} stdb_ctx;

static int32_t stdb_fail(stdb_ctx *c, const char *msg) {
    stdb_sink_write(c->err, msg, stdb_strlen(msg));
    return 1;
}
static int32_t stdb_fail_buf(stdb_ctx *c, const bsatn_buf *m) {
    stdb_sink_write(c->err, m->data, m->len);
    return 1;
}
static int32_t stdb_fail_errno(stdb_ctx *c, const char *call, int32_t e) {
    bsatn_buf m = {0};
    sb_str(&m, call); sb_str(&m, " returned errno "); sb_i64(&m, e);
    sb_str(&m, " ("); sb_str(&m, stdb_errno_name(e)); sb_str(&m, ")");
    stdb_log_buf(STDB_LOG_ERROR, &m);
    return stdb_fail_buf(c, &m);
}
static int32_t stdb_fail_expect(stdb_ctx *c, const char *call, int32_t got, int32_t want) {
    bsatn_buf m = {0};
    sb_str(&m, call); sb_str(&m, " returned "); sb_i64(&m, got); sb_str(&m, " ("); sb_str(&m, stdb_errno_name(got));
    sb_str(&m, "), expected "); sb_i64(&m, want); sb_str(&m, " ("); sb_str(&m, stdb_errno_name(want)); sb_str(&m, ")");
    stdb_log_buf(STDB_LOG_ERROR, &m);
    return stdb_fail_buf(c, &m);
}
#define STDB_TRY(c, call, expr) do { int32_t _e = (expr); if (_e != 0) return stdb_fail_errno((c), (call), _e); } while (0)
#define STDB_EXPECT(c, call, expr, want) do { int32_t _e = (expr); if (_e != (want)) return stdb_fail_expect((c), (call), _e, (want)); } while (0)
/* Fails with "bad arguments for <reducer>" unless the args reader consumed everything cleanly. */
#define STDB_ARGS_DONE(c, what) do { if (!br_done(&(c)->r)) return stdb_fail((c), "bad arguments for " what); } while (0)

/* ------------------------------------------------------------------ datastore helpers */
static int32_t stdb_table_id(const char *name, TableId *out) {
    return table_id_from_name((const uint8_t *)name, stdb_strlen(name), out);
}
static int32_t stdb_index_id(const char *name, IndexId *out) {
    return index_id_from_name((const uint8_t *)name, stdb_strlen(name), out);
}
/* Appends every remaining row of `it` to out (concatenated BSATN rows). 0 or errno. */
static int32_t stdb_iter_collect(RowIter it, bsatn_buf *out) {
    for (;;) {
        bw_reserve(out, 4096);
        uint32_t n = out->cap - out->len;
        int32_t rc = row_iter_bsatn_advance(it, out->data + out->len, &n);
        if (rc == STDB_BUFFER_TOO_SMALL) { bw_reserve(out, n); continue; }
        if (rc != 0 && rc != STDB_EXHAUSTED) return rc;
        out->len += n;
        if (rc == STDB_EXHAUSTED) return 0;
    }
}

/* ------------------------------------------------------------------ dispatch */
typedef int32_t (*stdb_fn)(stdb_ctx *);

static inline void stdb__u64le(uint8_t *p, uint64_t v) { __builtin_memcpy(p, &v, 8); }   /* little-endian */

static int32_t stdb_dispatch(const stdb_fn *tbl, uint32_t n, uint32_t id,
                             uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3,
                             uint64_t c0, uint64_t c1, int64_t ts, BytesSource args, BytesSink err) {
    uint32_t mark = stdb_heap_mark();
    stdb_ctx c;
    c.id = id;
    stdb__u64le(c.sender, s0); stdb__u64le(c.sender + 8, s1); stdb__u64le(c.sender + 16, s2); stdb__u64le(c.sender + 24, s3);
    stdb__u64le(c.conn, c0); stdb__u64le(c.conn + 8, c1);
    c.has_conn = (c0 | c1) != 0;
    c.timestamp = ts; c.args_src = args; c.err = err;
    int32_t rc;
    if (id >= n) {
        bsatn_buf m = {0};
        sb_str(&m, "no such function id "); sb_u64(&m, id);
        rc = stdb_fail_buf(&c, &m);
    } else {
        int32_t e = stdb_read_source(args, &c.args);
        if (e != 0) rc = stdb_fail_errno(&c, "bytes_source_read(args)", e);
        else { br_init(&c.r, c.args.data, c.args.len); rc = tbl[id](&c); }
    }
    stdb_heap_release(mark);
    return rc;
}

#define STDB_DEFINE_REDUCERS(...)                                                                    \
    static const stdb_fn stdb__reducers[] = {__VA_ARGS__};                                           \
    STDB_EXPORT(__call_reducer__) int32_t __call_reducer__(uint32_t id, uint64_t s0, uint64_t s1,    \
        uint64_t s2, uint64_t s3, uint64_t c0, uint64_t c1, int64_t ts, BytesSource args, BytesSink err) { \
        return stdb_dispatch(stdb__reducers, sizeof stdb__reducers / sizeof stdb__reducers[0], id,   \
                             s0, s1, s2, s3, c0, c1, ts, args, err);                                 \
    }
/* Procedures: same signature; the last argument is the RESULT sink (c->err in the handler). */
#define STDB_DEFINE_PROCEDURES(...)                                                                  \
    static const stdb_fn stdb__procedures[] = {__VA_ARGS__};                                         \
    STDB_EXPORT(__call_procedure__) int32_t __call_procedure__(uint32_t id, uint64_t s0, uint64_t s1,\
        uint64_t s2, uint64_t s3, uint64_t c0, uint64_t c1, int64_t ts, BytesSource args, BytesSink out) { \
        return stdb_dispatch(stdb__procedures, sizeof stdb__procedures / sizeof stdb__procedures[0], id, \
                             s0, s1, s2, s3, c0, c1, ts, args, out);                                 \
    }
/* Views: __call_view__(id, sender0..3, args, sink) and __call_view_anon__(id, args, sink). */
#define STDB_DEFINE_VIEWS(...)                                                                       \
    static const stdb_fn stdb__views[] = {__VA_ARGS__};                                              \
    STDB_EXPORT(__call_view__) int32_t __call_view__(uint32_t id, uint64_t s0, uint64_t s1,          \
        uint64_t s2, uint64_t s3, BytesSource args, BytesSink sink) {                                \
        return stdb_dispatch(stdb__views, sizeof stdb__views / sizeof stdb__views[0], id,            \
                             s0, s1, s2, s3, 0, 0, 0, args, sink);                                   \
    }
#define STDB_DEFINE_ANON_VIEWS(...)                                                                  \
    static const stdb_fn stdb__anon_views[] = {__VA_ARGS__};                                         \
    STDB_EXPORT(__call_view_anon__) int32_t __call_view_anon__(uint32_t id, BytesSource args, BytesSink sink) { \
        return stdb_dispatch(stdb__anon_views, sizeof stdb__anon_views / sizeof stdb__anon_views[0], id, \
                             0, 0, 0, 0, 0, 0, 0, args, sink);                                       \
    }
#define STDB_DEFINE_DESCRIBE(build_fn)                                                               \
    STDB_EXPORT(__describe_module__) void __describe_module__(BytesSink sink) {                      \
        uint32_t mark = stdb_heap_mark();                                                            \
        bsatn_buf b; bw_init(&b, 1024);                                                              \
        build_fn(&b);                                                                                \
        stdb_sink_write(sink, b.data, b.len);                                                        \
        stdb_heap_release(mark);                                                                     \
    }
#endif
