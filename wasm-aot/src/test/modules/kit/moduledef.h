/*
 * moduledef.h -- Lightcone C module kit: builder for BSATN RawModuleDef V10 (tag 2) and V9 (tag 1).
 *
 * Types are written from a compact TYPE SPEC string (our own mini-language):
 *   bool i8 u8 i16 u16 i32 u32 i64 u64 i128 u128 i256 u256 f32 f64 str     primitives
 *   identity connid timestamp duration uuid scheduleat unit                special types (reserved
 *        names: __identity__:U256, __connection_id__:U128, __timestamp_micros_since_unix_epoch__:I64,
 *        __time_duration_micros__:I64, __uuid__:U128, ScheduleAt = Sum[Interval: duration, Time: timestamp])
 *   [T]              Array<T>
 *   ?T               Option<T> = Sum[some: T, none: ()]
 *   @N               Ref N into the typespace
 *   {a:T,b:T}        Product with named elements ({} = unit)
 *   <a:T|b|c:T>      Sum; a variant without ":T" has the unit payload
 * Whitespace is ignored. A malformed spec traps (it is a bug in the module, caught by build.sh's check).
 *
 * Sections are written from plain structs (md_table, md_reducer, ...), see below. For V10 call
 * md10_begin, then any sections in any order, then md10_end. For V9 call md9_write.
 */
#ifndef STDB_MODULEDEF_H
#define STDB_MODULEDEF_H
#include "bsatn.h"

/* AlgebraicType tags (§1.1) */
enum { AT_REF = 0, AT_SUM, AT_PRODUCT, AT_ARRAY, AT_STRING, AT_BOOL, AT_I8, AT_U8, AT_I16, AT_U16,
       AT_I32, AT_U32, AT_I64, AT_U64, AT_I128, AT_U128, AT_I256, AT_U256, AT_F32, AT_F64 };
/* RawIndexAlgorithm */
enum { MD_BTREE = 0, MD_HASH = 1, MD_DIRECT = 2 };
/* TableAccess / TableType / Lifecycle / FunctionVisibility / CaseConversionPolicy */
enum { MD_PUBLIC = 0, MD_PRIVATE = 1 };
enum { MD_SYSTEM_TABLE = 0, MD_USER_TABLE = 1 };
enum { MD_INIT = 0, MD_ON_CONNECT = 1, MD_ON_DISCONNECT = 2, MD_NO_LIFECYCLE = -1 };
enum { MD_FN_PRIVATE = 0, MD_FN_CLIENT_CALLABLE = 1 };
enum { MD_CASE_NONE = 0, MD_CASE_SNAKE = 1 };
/* V10 section tags */
enum { MD10_TYPESPACE = 0, MD10_TYPES, MD10_TABLES, MD10_REDUCERS, MD10_PROCEDURES, MD10_VIEWS,
       MD10_SCHEDULES, MD10_LIFECYCLE, MD10_RLS, MD10_CASE_POLICY, MD10_EXPLICIT_NAMES };
/* ExplicitNameEntry kinds */
enum { MD_NAME_TABLE = 0, MD_NAME_FUNCTION = 1, MD_NAME_INDEX = 2 };

/* ------------------------------------------------------------------ type specs */
static inline void md__ws(const char **s) { while (**s == ' ' || **s == '\n' || **s == '\t') (*s)++; }
static inline int md__isid(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
static inline int md__kw(const char **s, const char *kw) {
    const char *p = *s; uint32_t i = 0;
    while (kw[i] && p[i] == kw[i]) i++;
    if (kw[i] || md__isid(p[i])) return 0;
    *s = p + i; return 1;
}
static inline void md__elem_name(bsatn_buf *b, const char *name, uint32_t n) { bw_some(b); bw_strn(b, name, n); }
static inline void md__special(bsatn_buf *b, const char *field, uint8_t prim) {
    bw_tag(b, AT_PRODUCT); bw_len(b, 1); md__elem_name(b, field, stdb_strlen(field)); bw_tag(b, prim);
}
static void md__type(bsatn_buf *b, const char **s);
/* "{a:T,...}" or "<a:T|b|...>" body; opening char already consumed */
static void md__fields(bsatn_buf *b, const char **s, char sep, char close, int is_sum) {
    uint32_t at = bw_placeholder_u32(b), n = 0;
    md__ws(s);
    while (**s != close) {
        const char *name = *s;
        while (md__isid(**s)) (*s)++;
        uint32_t nlen = (uint32_t)(*s - name);
        if (!nlen) __builtin_trap();
        md__elem_name(b, name, nlen);
        md__ws(s);
        if (**s == ':') { (*s)++; md__type(b, s); }
        else if (is_sum) { bw_tag(b, AT_PRODUCT); bw_len(b, 0); }
        else __builtin_trap();
        n++;
        md__ws(s);
        if (**s == sep) { (*s)++; md__ws(s); }
        else if (**s != close) __builtin_trap();
    }
    (*s)++;
    bw_patch_u32(b, at, n);
}
static void md__type(bsatn_buf *b, const char **s) {
    static const struct { const char *kw; uint8_t tag; } prims[] = {
        {"bool", AT_BOOL}, {"i8", AT_I8}, {"u8", AT_U8}, {"i16", AT_I16}, {"u16", AT_U16},
        {"i32", AT_I32}, {"u32", AT_U32}, {"i64", AT_I64}, {"u64", AT_U64}, {"i128", AT_I128},
        {"u128", AT_U128}, {"i256", AT_I256}, {"u256", AT_U256}, {"f32", AT_F32}, {"f64", AT_F64},
        {"str", AT_STRING}};
    md__ws(s);
    for (uint32_t i = 0; i < sizeof prims / sizeof prims[0]; i++)
        if (md__kw(s, prims[i].kw)) { bw_tag(b, prims[i].tag); return; }
    if (md__kw(s, "identity")) { md__special(b, "__identity__", AT_U256); return; }
    if (md__kw(s, "connid")) { md__special(b, "__connection_id__", AT_U128); return; }
    if (md__kw(s, "timestamp")) { md__special(b, "__timestamp_micros_since_unix_epoch__", AT_I64); return; }
    if (md__kw(s, "duration")) { md__special(b, "__time_duration_micros__", AT_I64); return; }
    if (md__kw(s, "uuid")) { md__special(b, "__uuid__", AT_U128); return; }
    if (md__kw(s, "unit")) { bw_tag(b, AT_PRODUCT); bw_len(b, 0); return; }
    if (md__kw(s, "scheduleat")) {
        bw_tag(b, AT_SUM); bw_len(b, 2);
        md__elem_name(b, "Interval", 8); md__special(b, "__time_duration_micros__", AT_I64);
        md__elem_name(b, "Time", 4); md__special(b, "__timestamp_micros_since_unix_epoch__", AT_I64);
        return;
    }
    char c = **s;
    if (c == '[') {
        (*s)++; bw_tag(b, AT_ARRAY); md__type(b, s); md__ws(s);
        if (**s != ']') __builtin_trap();
        (*s)++; return;
    }
    if (c == '?') {
        (*s)++; bw_tag(b, AT_SUM); bw_len(b, 2);
        md__elem_name(b, "some", 4); md__type(b, s);
        md__elem_name(b, "none", 4); bw_tag(b, AT_PRODUCT); bw_len(b, 0);
        return;
    }
    if (c == '@') {
        (*s)++; uint32_t n = 0;
        if (**s < '0' || **s > '9') __builtin_trap();
        while (**s >= '0' && **s <= '9') n = n * 10 + (uint32_t)(*(*s)++ - '0');
        bw_tag(b, AT_REF); bw_u32(b, n); return;
    }
    if (c == '{') { (*s)++; bw_tag(b, AT_PRODUCT); md__fields(b, s, ',', '}', 0); return; }
    if (c == '<') { (*s)++; bw_tag(b, AT_SUM); md__fields(b, s, '|', '>', 1); return; }
    __builtin_trap();
}
/* Writes the AlgebraicType for spec. */
static void md_type(bsatn_buf *b, const char *spec) {
    const char *s = spec; md__type(b, &s); md__ws(&s);
    if (*s) __builtin_trap();
}
/* Writes a ProductType (elements array, no AlgebraicType tag) for a "{...}" spec; NULL = no params. */
static void md_product(bsatn_buf *b, const char *spec) {
    if (!spec) { bw_len(b, 0); return; }
    const char *s = spec; md__ws(&s);
    if (*s != '{') __builtin_trap();
    s++; md__fields(b, &s, ',', '}', 0); md__ws(&s);
    if (*s) __builtin_trap();
}

/* ------------------------------------------------------------------ def structs */
typedef struct { const char *name; uint32_t ref; uint8_t custom_ordering; } md_typename;
typedef struct { uint8_t algo; const char *name; const char *accessor; uint16_t cols[4]; uint8_t ncols; } md_index;
typedef struct { const char *name; uint16_t cols[4]; uint8_t ncols; } md_unique;
/* Option<i128> start/min/max are written as sign-extended int64 (has_* = 0 -> None). */
typedef struct {
    const char *name; uint16_t col;
    uint8_t has_start, has_min, has_max;
    int64_t start, min, max, increment;
} md_sequence;
typedef struct { uint16_t col; const uint8_t *value; uint32_t len; } md_default;
typedef struct {
    const char *name; uint32_t type_ref;
    uint16_t pk[4]; uint8_t npk;
    const md_index *indexes; uint32_t nindexes;
    const md_unique *uniques; uint32_t nuniques;
    const md_sequence *seqs; uint32_t nseqs;
    uint8_t access;                    /* MD_PUBLIC / MD_PRIVATE */
    uint8_t is_event;                  /* V10 only */
    const md_default *defaults; uint32_t ndefaults;  /* V10 field; V9 -> misc ColumnDefaultValue */
    const char *schedule_reducer;      /* V9 only: Some(schedule) when non-NULL */
    const char *schedule_name;         /* V9 only: Option name */
    uint16_t schedule_col;             /* V9 only */
} md_table;
typedef struct {
    const char *name; const char *params;   /* params: "{a:T,...}" or NULL */
    uint8_t visibility;                     /* V10 */
    const char *ok_ret, *err_ret;           /* V10; NULL -> "unit" / "str" */
    int8_t lifecycle;                       /* V9: MD_NO_LIFECYCLE or MD_INIT.. */
} md_reducer;
typedef struct { const char *name; const char *params; const char *ret; uint8_t visibility; } md_procedure;
typedef struct { const char *name; uint32_t index; uint8_t is_public, is_anonymous; const char *params; const char *ret; } md_view;
typedef struct { const char *name; const char *table; uint16_t col; const char *function; } md_schedule;
typedef struct { uint8_t lifecycle; const char *function; } md_lifecycle;
typedef struct { uint8_t kind; const char *source_name, *canonical_name; } md_explicit_name;

static inline void md_optstr(bsatn_buf *b, const char *s) { if (s) { bw_some(b); bw_str(b, s); } else bw_none(b); }
static inline void md_opti128(bsatn_buf *b, int has, int64_t v) { if (has) { bw_some(b); bw_i128_from_i64(b, v); } else bw_none(b); }
static inline void md_collist(bsatn_buf *b, const uint16_t *cols, uint32_t n) {
    bw_len(b, n); for (uint32_t i = 0; i < n; i++) bw_u16(b, cols[i]);
}
static void md_typespace(bsatn_buf *b, const char *const *specs, uint32_t n) {
    bw_len(b, n); for (uint32_t i = 0; i < n; i++) md_type(b, specs[i]);
}
/* {scope: Array<String> = [], name: String, ty: u32, custom_ordering: bool} (same layout V9 and V10) */
static void md_typenames(bsatn_buf *b, const md_typename *t, uint32_t n) {
    bw_len(b, n);
    for (uint32_t i = 0; i < n; i++) { bw_len(b, 0); bw_str(b, t[i].name); bw_u32(b, t[i].ref); bw_bool(b, t[i].custom_ordering); }
}
static void md_index_algo(bsatn_buf *b, const md_index *ix) {
    bw_tag(b, ix->algo);
    if (ix->algo == MD_DIRECT) bw_u16(b, ix->cols[0]);
    else md_collist(b, ix->cols, ix->ncols);
}
/* indexes, constraints and sequences have the same layout in V9 and V10 */
static void md_table_common(bsatn_buf *b, const md_table *t) {
    bw_str(b, t->name); bw_u32(b, t->type_ref); md_collist(b, t->pk, t->npk);
    bw_len(b, t->nindexes);
    for (uint32_t i = 0; i < t->nindexes; i++) {
        md_optstr(b, t->indexes[i].name); md_optstr(b, t->indexes[i].accessor); md_index_algo(b, &t->indexes[i]);
    }
    bw_len(b, t->nuniques);
    for (uint32_t i = 0; i < t->nuniques; i++) {
        md_optstr(b, t->uniques[i].name); bw_tag(b, 0 /* Unique */); md_collist(b, t->uniques[i].cols, t->uniques[i].ncols);
    }
    bw_len(b, t->nseqs);
    for (uint32_t i = 0; i < t->nseqs; i++) {
        const md_sequence *q = &t->seqs[i];
        md_optstr(b, q->name); bw_u16(b, q->col);
        md_opti128(b, q->has_start, q->start); md_opti128(b, q->has_min, q->min); md_opti128(b, q->has_max, q->max);
        bw_i128_from_i64(b, q->increment);
    }
}

/* ------------------------------------------------------------------ V10 */
typedef struct { bsatn_buf *b; uint32_t count_at, count; } md10;

static void md10_begin(md10 *m, bsatn_buf *b) {
    m->b = b; bw_tag(b, 2 /* RawModuleDef::V10 */); m->count_at = bw_placeholder_u32(b); m->count = 0;
}
static inline void md10__section(md10 *m, uint8_t tag) { bw_tag(m->b, tag); m->count++; }
static void md10_end(md10 *m) { bw_patch_u32(m->b, m->count_at, m->count); }

static void md10_typespace(md10 *m, const char *const *specs, uint32_t n) { md10__section(m, MD10_TYPESPACE); md_typespace(m->b, specs, n); }
static void md10_types(md10 *m, const md_typename *t, uint32_t n) { md10__section(m, MD10_TYPES); md_typenames(m->b, t, n); }
static void md10_tables(md10 *m, const md_table *t, uint32_t n) {
    bsatn_buf *b = m->b; md10__section(m, MD10_TABLES); bw_len(b, n);
    for (uint32_t i = 0; i < n; i++) {
        md_table_common(b, &t[i]);
        bw_tag(b, MD_USER_TABLE); bw_tag(b, t[i].access);
        bw_len(b, t[i].ndefaults);
        for (uint32_t j = 0; j < t[i].ndefaults; j++) { bw_u16(b, t[i].defaults[j].col); bw_bytes(b, t[i].defaults[j].value, t[i].defaults[j].len); }
        bw_bool(b, t[i].is_event);
    }
}
static void md10_reducers(md10 *m, const md_reducer *r, uint32_t n) {
    bsatn_buf *b = m->b; md10__section(m, MD10_REDUCERS); bw_len(b, n);
    for (uint32_t i = 0; i < n; i++) {
        bw_str(b, r[i].name); md_product(b, r[i].params); bw_tag(b, r[i].visibility);
        md_type(b, r[i].ok_ret ? r[i].ok_ret : "unit"); md_type(b, r[i].err_ret ? r[i].err_ret : "str");
    }
}
static void md10_procedures(md10 *m, const md_procedure *p, uint32_t n) {
    bsatn_buf *b = m->b; md10__section(m, MD10_PROCEDURES); bw_len(b, n);
    for (uint32_t i = 0; i < n; i++) { bw_str(b, p[i].name); md_product(b, p[i].params); md_type(b, p[i].ret); bw_tag(b, p[i].visibility); }
}
static void md10_views(md10 *m, const md_view *v, uint32_t n) {
    bsatn_buf *b = m->b; md10__section(m, MD10_VIEWS); bw_len(b, n);
    for (uint32_t i = 0; i < n; i++) {
        bw_str(b, v[i].name); bw_u32(b, v[i].index); bw_bool(b, v[i].is_public); bw_bool(b, v[i].is_anonymous);
        md_product(b, v[i].params); md_type(b, v[i].ret);
    }
}
static void md10_schedules(md10 *m, const md_schedule *s, uint32_t n) {
    bsatn_buf *b = m->b; md10__section(m, MD10_SCHEDULES); bw_len(b, n);
    for (uint32_t i = 0; i < n; i++) { md_optstr(b, s[i].name); bw_str(b, s[i].table); bw_u16(b, s[i].col); bw_str(b, s[i].function); }
}
static void md10_lifecycles(md10 *m, const md_lifecycle *l, uint32_t n) {
    bsatn_buf *b = m->b; md10__section(m, MD10_LIFECYCLE); bw_len(b, n);
    for (uint32_t i = 0; i < n; i++) { bw_tag(b, l[i].lifecycle); bw_str(b, l[i].function); }
}
static void md10_rls(md10 *m, const char *const *sql, uint32_t n) {
    bsatn_buf *b = m->b; md10__section(m, MD10_RLS); bw_len(b, n);
    for (uint32_t i = 0; i < n; i++) bw_str(b, sql[i]);
}
static void md10_case_policy(md10 *m, uint8_t policy) { md10__section(m, MD10_CASE_POLICY); bw_tag(m->b, policy); }
static void md10_explicit_names(md10 *m, const md_explicit_name *e, uint32_t n) {
    bsatn_buf *b = m->b; md10__section(m, MD10_EXPLICIT_NAMES); bw_len(b, n);
    for (uint32_t i = 0; i < n; i++) { bw_tag(b, e[i].kind); bw_str(b, e[i].source_name); bw_str(b, e[i].canonical_name); }
}

/* ------------------------------------------------------------------ V9 */
/* RawModuleDefV9 {typespace, tables, reducers, types, misc_exports, row_level_security}.
 * misc_exports = ColumnDefaultValue for every md_table default, then procedures, then views. */
static void md9_write(bsatn_buf *b,
                      const char *const *specs, uint32_t nspecs,
                      const md_table *t, uint32_t ntables,
                      const md_reducer *r, uint32_t nreducers,
                      const md_typename *tn, uint32_t ntypes,
                      const md_procedure *p, uint32_t nprocs,
                      const md_view *v, uint32_t nviews,
                      const char *const *rls, uint32_t nrls) {
    bw_tag(b, 1 /* RawModuleDef::V9 */);
    md_typespace(b, specs, nspecs);
    bw_len(b, ntables);
    for (uint32_t i = 0; i < ntables; i++) {
        md_table_common(b, &t[i]);
        if (t[i].schedule_reducer) {
            bw_some(b); md_optstr(b, t[i].schedule_name); bw_str(b, t[i].schedule_reducer); bw_u16(b, t[i].schedule_col);
        } else bw_none(b);
        bw_tag(b, MD_USER_TABLE); bw_tag(b, t[i].access);
    }
    bw_len(b, nreducers);
    for (uint32_t i = 0; i < nreducers; i++) {
        bw_str(b, r[i].name); md_product(b, r[i].params);
        if (r[i].lifecycle >= 0) { bw_some(b); bw_tag(b, (uint8_t)r[i].lifecycle); } else bw_none(b);
    }
    md_typenames(b, tn, ntypes);
    uint32_t nmisc = nprocs + nviews;
    for (uint32_t i = 0; i < ntables; i++) nmisc += t[i].ndefaults;
    bw_len(b, nmisc);
    for (uint32_t i = 0; i < ntables; i++)
        for (uint32_t j = 0; j < t[i].ndefaults; j++) {
            bw_tag(b, 0); bw_str(b, t[i].name); bw_u16(b, t[i].defaults[j].col); bw_bytes(b, t[i].defaults[j].value, t[i].defaults[j].len);
        }
    for (uint32_t i = 0; i < nprocs; i++) { bw_tag(b, 1); bw_str(b, p[i].name); md_product(b, p[i].params); md_type(b, p[i].ret); }
    for (uint32_t i = 0; i < nviews; i++) {
        bw_tag(b, 2); bw_str(b, v[i].name); bw_u32(b, v[i].index); bw_bool(b, v[i].is_public); bw_bool(b, v[i].is_anonymous);
        md_product(b, v[i].params); md_type(b, v[i].ret);
    }
    bw_len(b, nrls);
    for (uint32_t i = 0; i < nrls; i++) bw_str(b, rls[i]);
}
#endif
