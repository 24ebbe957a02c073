/*
 * stdb_abi.h -- Lightcone C module kit: raw host imports of the SpacetimeDB module ABI
 * (spacetime_10.0 .. spacetime_10.5) and the errno constants.
 *
 * Written from the Lightcone contract notes (spacetimedb-contracts.md §4.2/§4.3); our own code.
 * Wasm signature rules: every pointer, usize, u8, u16, u32 and handle is an i32; u64/i64 are i64.
 * "errno" returns are an i32 holding a u16 (0 = ok). Functions that are declared but never called
 * are dropped by the linker, so a module only imports what it uses.
 */
#ifndef STDB_ABI_H
#define STDB_ABI_H

typedef unsigned char      uint8_t;
typedef signed char        int8_t;
typedef unsigned short     uint16_t;
typedef short              int16_t;
typedef unsigned int       uint32_t;
typedef int                int32_t;
typedef unsigned long long uint64_t;
typedef long long          int64_t;
typedef unsigned long      size_t;   /* wasm32: 32 bits */
_Static_assert(sizeof(size_t) == 4, "wasm32 only");
_Static_assert(sizeof(void *) == 4, "wasm32 only");

typedef uint32_t TableId;
typedef uint32_t IndexId;
typedef uint32_t RowIter;      /* 0 = invalid */
typedef uint32_t BytesSource;  /* 0 = invalid (e.g. empty reducer args) */
typedef uint32_t BytesSink;
typedef uint32_t ConsoleTimerId;
typedef uint16_t Errno;         /* carried in an i32 */

#define STDB_IMPORT(ver, name) __attribute__((import_module("spacetime_" ver), import_name(#name)))
#define STDB_EXPORT(name)      __attribute__((export_name(#name)))

/* ---------------------------------------------------------------- errno (§4.3) */
#define STDB_OK                         0
#define STDB_HOST_CALL_FAILURE          1
#define STDB_NOT_IN_TRANSACTION         2
#define STDB_BSATN_DECODE_ERROR         3
#define STDB_NO_SUCH_TABLE              4
#define STDB_NO_SUCH_INDEX              5
#define STDB_NO_SUCH_ITER               6
#define STDB_NO_SUCH_CONSOLE_TIMER      7
#define STDB_NO_SUCH_BYTES              8
#define STDB_NO_SPACE                   9
#define STDB_WRONG_INDEX_ALGO          10
#define STDB_BUFFER_TOO_SMALL          11
#define STDB_UNIQUE_ALREADY_EXISTS     12
#define STDB_SCHEDULE_AT_DELAY_TOO_LONG 13
#define STDB_INDEX_NOT_UNIQUE          14
#define STDB_NO_SUCH_ROW               15
#define STDB_AUTO_INC_OVERFLOW         16
#define STDB_WOULD_BLOCK_TRANSACTION   17
#define STDB_TRANSACTION_NOT_ANONYMOUS 18
#define STDB_TRANSACTION_IS_READ_ONLY  19
#define STDB_TRANSACTION_IS_MUT        20
#define STDB_HTTP_ERROR                21

/* "i16" style returns of row_iter_bsatn_advance / bytes_source_read */
#define STDB_EXHAUSTED (-1)

/* console_log levels */
#define STDB_LOG_ERROR 0
#define STDB_LOG_WARN  1
#define STDB_LOG_INFO  2
#define STDB_LOG_DEBUG 3
#define STDB_LOG_TRACE 4
#define STDB_LOG_PANIC 101
#define STDB_NO_LINE   0xFFFFFFFFu

/* ---------------------------------------------------------------- spacetime_10.0 */
STDB_IMPORT("10.0", table_id_from_name)
int32_t table_id_from_name(const uint8_t *name, uint32_t name_len, TableId *out);
STDB_IMPORT("10.0", index_id_from_name)
int32_t index_id_from_name(const uint8_t *name, uint32_t name_len, IndexId *out);
STDB_IMPORT("10.0", datastore_table_row_count)
int32_t datastore_table_row_count(TableId table_id, uint64_t *out);
STDB_IMPORT("10.0", datastore_table_scan_bsatn)
int32_t datastore_table_scan_bsatn(TableId table_id, RowIter *out);
STDB_IMPORT("10.0", datastore_index_scan_range_bsatn)
int32_t datastore_index_scan_range_bsatn(IndexId index_id, const uint8_t *prefix, uint32_t prefix_len,
                                         uint32_t prefix_elems /* u16 */, const uint8_t *rstart,
                                         uint32_t rstart_len, const uint8_t *rend, uint32_t rend_len,
                                         RowIter *out);
STDB_IMPORT("10.0", datastore_btree_scan_bsatn) /* deprecated alias */
int32_t datastore_btree_scan_bsatn(IndexId index_id, const uint8_t *prefix, uint32_t prefix_len,
                                   uint32_t prefix_elems, const uint8_t *rstart, uint32_t rstart_len,
                                   const uint8_t *rend, uint32_t rend_len, RowIter *out);
STDB_IMPORT("10.0", datastore_delete_by_index_scan_range_bsatn)
int32_t datastore_delete_by_index_scan_range_bsatn(IndexId index_id, const uint8_t *prefix,
                                                   uint32_t prefix_len, uint32_t prefix_elems,
                                                   const uint8_t *rstart, uint32_t rstart_len,
                                                   const uint8_t *rend, uint32_t rend_len,
                                                   uint32_t *out_deleted);
STDB_IMPORT("10.0", datastore_delete_by_btree_scan_bsatn) /* deprecated alias */
int32_t datastore_delete_by_btree_scan_bsatn(IndexId index_id, const uint8_t *prefix,
                                             uint32_t prefix_len, uint32_t prefix_elems,
                                             const uint8_t *rstart, uint32_t rstart_len,
                                             const uint8_t *rend, uint32_t rend_len,
                                             uint32_t *out_deleted);
STDB_IMPORT("10.0", datastore_delete_all_by_eq_bsatn)
int32_t datastore_delete_all_by_eq_bsatn(TableId table_id, const uint8_t *rel, uint32_t rel_len,
                                         uint32_t *out_deleted);
STDB_IMPORT("10.0", row_iter_bsatn_advance)
int32_t row_iter_bsatn_advance(RowIter iter, uint8_t *buf, uint32_t *buf_len /* in: cap, out: written */);
STDB_IMPORT("10.0", row_iter_bsatn_close)
int32_t row_iter_bsatn_close(RowIter iter);
STDB_IMPORT("10.0", datastore_insert_bsatn)
int32_t datastore_insert_bsatn(TableId table_id, uint8_t *row, uint32_t *row_len /* in/out */);
STDB_IMPORT("10.0", datastore_update_bsatn)
int32_t datastore_update_bsatn(TableId table_id, IndexId index_id, uint8_t *row, uint32_t *row_len);
STDB_IMPORT("10.0", volatile_nonatomic_schedule_immediate)
void volatile_nonatomic_schedule_immediate(const uint8_t *name, uint32_t name_len, const uint8_t *args,
                                           uint32_t args_len);
STDB_IMPORT("10.0", bytes_sink_write)
int32_t bytes_sink_write(BytesSink sink, const uint8_t *buf, uint32_t *buf_len /* in/out */);
STDB_IMPORT("10.0", bytes_source_read)
int32_t bytes_source_read(BytesSource source, uint8_t *buf, uint32_t *buf_len /* in/out */);
STDB_IMPORT("10.0", console_log)
void console_log(uint32_t level /* u8 */, const uint8_t *target, uint32_t target_len,
                 const uint8_t *filename, uint32_t filename_len, uint32_t line_number,
                 const uint8_t *message, uint32_t message_len);
STDB_IMPORT("10.0", console_timer_start)
ConsoleTimerId console_timer_start(const uint8_t *name, uint32_t name_len);
STDB_IMPORT("10.0", console_timer_end)
int32_t console_timer_end(ConsoleTimerId timer_id);
STDB_IMPORT("10.0", identity)
void identity(uint8_t *out /* 32 bytes LE */);

/* ---------------------------------------------------------------- spacetime_10.1 */
STDB_IMPORT("10.1", bytes_source_remaining_length)
int32_t bytes_source_remaining_length(BytesSource source, uint32_t *out);

/* ---------------------------------------------------------------- spacetime_10.2 */
STDB_IMPORT("10.2", get_jwt)
int32_t get_jwt(const uint8_t *connection_id /* 16 bytes LE */, BytesSource *out);

/* ---------------------------------------------------------------- spacetime_10.3 (procedures) */
STDB_IMPORT("10.3", procedure_start_mut_tx)
int32_t procedure_start_mut_tx(int64_t *out_timestamp_micros);
STDB_IMPORT("10.3", procedure_commit_mut_tx)
int32_t procedure_commit_mut_tx(void);
STDB_IMPORT("10.3", procedure_abort_mut_tx)
int32_t procedure_abort_mut_tx(void);
STDB_IMPORT("10.3", procedure_sleep_until)
int64_t procedure_sleep_until(int64_t wake_at_micros);
STDB_IMPORT("10.3", procedure_http_request)
int32_t procedure_http_request(const uint8_t *request, uint32_t request_len, const uint8_t *body,
                               uint32_t body_len, BytesSource out[2]);

/* ---------------------------------------------------------------- spacetime_10.4 */
STDB_IMPORT("10.4", datastore_index_scan_point_bsatn)
int32_t datastore_index_scan_point_bsatn(IndexId index_id, const uint8_t *point, uint32_t point_len,
                                         RowIter *out);
STDB_IMPORT("10.4", datastore_delete_by_index_scan_point_bsatn)
int32_t datastore_delete_by_index_scan_point_bsatn(IndexId index_id, const uint8_t *point,
                                                   uint32_t point_len, uint32_t *out_deleted);

/* ---------------------------------------------------------------- spacetime_10.5 */
STDB_IMPORT("10.5", datastore_clear)
int32_t datastore_clear(TableId table_id, uint64_t *out_deleted);

/* Name of an errno for messages ("UNIQUE_ALREADY_EXISTS"); "?" when unknown. */
static inline const char *stdb_errno_name(int32_t e) {
    switch (e) {
    case 0: return "OK";
    case 1: return "HOST_CALL_FAILURE";
    case 2: return "NOT_IN_TRANSACTION";
    case 3: return "BSATN_DECODE_ERROR";
    case 4: return "NO_SUCH_TABLE";
    case 5: return "NO_SUCH_INDEX";
    case 6: return "NO_SUCH_ITER";
    case 7: return "NO_SUCH_CONSOLE_TIMER";
    case 8: return "NO_SUCH_BYTES";
    case 9: return "NO_SPACE";
    case 10: return "WRONG_INDEX_ALGO";
    case 11: return "BUFFER_TOO_SMALL";
    case 12: return "UNIQUE_ALREADY_EXISTS";
    case 13: return "SCHEDULE_AT_DELAY_TOO_LONG";
    case 14: return "INDEX_NOT_UNIQUE";
    case 15: return "NO_SUCH_ROW";
    case 16: return "AUTO_INC_OVERFLOW";
    case 17: return "WOULD_BLOCK_TRANSACTION";
    case 18: return "TRANSACTION_NOT_ANONYMOUS";
    case 19: return "TRANSACTION_IS_READ_ONLY";
    case 20: return "TRANSACTION_IS_MUT";
    case 21: return "HTTP_ERROR";
    case -1: return "EXHAUSTED";
    default: return "?";
    }
}

#endif
