/*
 * bsatn.h -- Lightcone C module kit: BSATN writer (growable buffer) and bounds-checked reader.
 *
 * Writer (bsatn_buf, all little-endian, grows through stdb_realloc):
 *   bw_u8 bw_u16 bw_u32 bw_u64 bw_i8 bw_i16 bw_i32 bw_i64, bw_u128/bw_i128(lo, hi),
 *   bw_u256/bw_i256(4 limbs, least significant first), bw_bool, bw_f32, bw_f64,
 *   bw_str (C string) / bw_strn (ptr,len) = u32 len + UTF-8, bw_bytes = u32 len + raw (Array<u8>),
 *   bw_len (array length prefix), bw_tag (sum tag), bw_raw (no prefix),
 *   bw_some / bw_none (Option tags 0 / 1), bw_placeholder_u32 + bw_patch_u32 (counts written later).
 * Reader (bsatn_reader): br_* mirror the writer; on any out-of-bounds or invalid value (bool not 0/1,
 *   sum tag out of range where checked) r->err is set, the call returns 0 and later calls are no-ops.
 *   br_str returns a pointer INTO the input (not NUL-terminated) plus its length.
 *   br_done(r) is true when no error happened and every byte was consumed.
 */
#ifndef STDB_BSATN_H
#define STDB_BSATN_H
#include "mem.h"

typedef struct { uint8_t *data; uint32_t len, cap; } bsatn_buf;

static inline void bw_init(bsatn_buf *b, uint32_t cap) {
    if (cap < 16) cap = 16;
    b->data = stdb_alloc(cap); b->len = 0; b->cap = cap;
}
static inline void bw_reset(bsatn_buf *b) { b->len = 0; }
static void bw_reserve(bsatn_buf *b, uint32_t extra) {
    if (!b->data) bw_init(b, extra + 64);
    if (b->len + extra <= b->cap) return;
    uint32_t nc = b->cap * 2;
    if (nc < b->len + extra) nc = b->len + extra;
    b->data = stdb_realloc(b->data, b->cap, nc);
    b->cap = nc;
}
static inline void bw_raw(bsatn_buf *b, const void *p, uint32_t n) {
    bw_reserve(b, n); memcpy(b->data + b->len, p, n); b->len += n;
}
static inline void bw_u8(bsatn_buf *b, uint8_t v) { bw_reserve(b, 1); b->data[b->len++] = v; }
/* WebAssembly is little-endian: the low n bytes of v in memory order are its BSATN encoding, and a memcpy of a
 * constant n compiles to one store (as the Rust bindings' to_le_bytes does), not n byte stores. */
static inline void bw_le(bsatn_buf *b, uint64_t v, uint32_t n) {
    bw_reserve(b, n);
    __builtin_memcpy(b->data + b->len, &v, n);
    b->len += n;
}
static inline void bw_u16(bsatn_buf *b, uint16_t v) { bw_le(b, v, 2); }
static inline void bw_u32(bsatn_buf *b, uint32_t v) { bw_le(b, v, 4); }
static inline void bw_u64(bsatn_buf *b, uint64_t v) { bw_le(b, v, 8); }
static inline void bw_i8(bsatn_buf *b, int8_t v) { bw_u8(b, (uint8_t)v); }
static inline void bw_i16(bsatn_buf *b, int16_t v) { bw_le(b, (uint16_t)v, 2); }
static inline void bw_i32(bsatn_buf *b, int32_t v) { bw_le(b, (uint32_t)v, 4); }
static inline void bw_i64(bsatn_buf *b, int64_t v) { bw_le(b, (uint64_t)v, 8); }
static inline void bw_u128(bsatn_buf *b, uint64_t lo, uint64_t hi) { bw_u64(b, lo); bw_u64(b, hi); }
static inline void bw_i128(bsatn_buf *b, uint64_t lo, uint64_t hi) { bw_u64(b, lo); bw_u64(b, hi); }
/* i128 from a signed 64-bit value (sign-extended) */
static inline void bw_i128_from_i64(bsatn_buf *b, int64_t v) { bw_u64(b, (uint64_t)v); bw_u64(b, v < 0 ? ~0ull : 0); }
static inline void bw_u256(bsatn_buf *b, uint64_t l0, uint64_t l1, uint64_t l2, uint64_t l3) {
    bw_u64(b, l0); bw_u64(b, l1); bw_u64(b, l2); bw_u64(b, l3);
}
#define bw_i256 bw_u256
static inline void bw_bool(bsatn_buf *b, int v) { bw_u8(b, v ? 1 : 0); }
static inline void bw_f32(bsatn_buf *b, float v) { union { float f; uint32_t u; } x = { v }; bw_u32(b, x.u); }
static inline void bw_f64(bsatn_buf *b, double v) { union { double f; uint64_t u; } x = { v }; bw_u64(b, x.u); }
static inline void bw_len(bsatn_buf *b, uint32_t n) { bw_u32(b, n); }
static inline void bw_tag(bsatn_buf *b, uint8_t t) { bw_u8(b, t); }
static inline void bw_some(bsatn_buf *b) { bw_u8(b, 0); }
static inline void bw_none(bsatn_buf *b) { bw_u8(b, 1); }
static inline void bw_strn(bsatn_buf *b, const void *s, uint32_t n) { bw_u32(b, n); bw_raw(b, s, n); }
static inline void bw_str(bsatn_buf *b, const char *s) { bw_strn(b, s, stdb_strlen(s)); }
static inline void bw_bytes(bsatn_buf *b, const void *p, uint32_t n) { bw_strn(b, p, n); }
static inline uint32_t bw_placeholder_u32(bsatn_buf *b) { uint32_t at = b->len; bw_u32(b, 0); return at; }
static inline void bw_patch_u32(bsatn_buf *b, uint32_t at, uint32_t v) { __builtin_memcpy(b->data + at, &v, 4); }

/* ------------------------------------------------------------------ reader */
typedef struct { const uint8_t *p; uint32_t len, pos; int err; } bsatn_reader;

static inline void br_init(bsatn_reader *r, const uint8_t *p, uint32_t len) {
    r->p = p; r->len = len; r->pos = 0; r->err = 0;
}
static inline const uint8_t *br_take(bsatn_reader *r, uint32_t n) {
    if (r->err || n > r->len - r->pos) { r->err = 1; return 0; }
    const uint8_t *p = r->p + r->pos; r->pos += n; return p;
}
static inline uint64_t br_le(bsatn_reader *r, uint32_t n) {
    const uint8_t *p = br_take(r, n);
    if (!p) return 0;
    uint64_t v = 0;
    __builtin_memcpy(&v, p, n);   /* little-endian, as bw_le */
    return v;
}
static inline uint8_t  br_u8(bsatn_reader *r)  { return (uint8_t)br_le(r, 1); }
static inline uint16_t br_u16(bsatn_reader *r) { return (uint16_t)br_le(r, 2); }
static inline uint32_t br_u32(bsatn_reader *r) { return (uint32_t)br_le(r, 4); }
static inline uint64_t br_u64(bsatn_reader *r) { return br_le(r, 8); }
static inline int8_t   br_i8(bsatn_reader *r)  { return (int8_t)br_le(r, 1); }
static inline int16_t  br_i16(bsatn_reader *r) { return (int16_t)br_le(r, 2); }
static inline int32_t  br_i32(bsatn_reader *r) { return (int32_t)br_le(r, 4); }
static inline int64_t  br_i64(bsatn_reader *r) { return (int64_t)br_le(r, 8); }
static inline void br_u128(bsatn_reader *r, uint64_t *lo, uint64_t *hi) { *lo = br_u64(r); *hi = br_u64(r); }
static inline int br_bool(bsatn_reader *r) {
    uint8_t v = br_u8(r);
    if (v > 1) { r->err = 1; return 0; }
    return v;
}
static inline float br_f32(bsatn_reader *r) { union { uint32_t u; float f; } x = { br_u32(r) }; return x.f; }
static inline double br_f64(bsatn_reader *r) { union { uint64_t u; double f; } x = { br_u64(r) }; return x.f; }
static inline uint32_t br_len(bsatn_reader *r) { return br_u32(r); }
/* Sum tag; sets err when tag >= n_variants (pass 256 to skip the check). */
static inline uint8_t br_tag(bsatn_reader *r, uint32_t n_variants) {
    uint8_t t = br_u8(r);
    if (t >= n_variants) { r->err = 1; return 0; }
    return t;
}
/* String / Array<u8>: pointer into the input + length. */
static inline const uint8_t *br_str(bsatn_reader *r, uint32_t *n) {
    uint32_t len = br_u32(r);
    const uint8_t *p = br_take(r, len);
    *n = p ? len : 0;
    return p;
}
#define br_bytes br_str
static inline void br_raw(bsatn_reader *r, void *dst, uint32_t n) {
    const uint8_t *p = br_take(r, n);
    if (p) memcpy(dst, p, n);
}
static inline void br_skip(bsatn_reader *r, uint32_t n) { (void)br_take(r, n); }
static inline int br_done(const bsatn_reader *r) { return !r->err && r->pos == r->len; }
#endif
