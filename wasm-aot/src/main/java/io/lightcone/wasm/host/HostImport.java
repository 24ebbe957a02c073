package io.lightcone.wasm.host;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every host import of ABI {@code spacetime_10.0} .. {@code spacetime_10.5} with its exact wasm signature
 * (reference/spacetimedb-contracts.md §4.2). Pointers, lengths, u8/u16/u32 and handles are {@code i32}; u64/i64
 * are {@code i64}.
 */
public enum HostImport
{
    /** {@code (name_ptr, name_len, out_ptr) -> errno}. */
    TABLE_ID_FROM_NAME("table_id_from_name", 0, 3, false, true),
    /** {@code (name_ptr, name_len, out_ptr) -> errno}. */
    INDEX_ID_FROM_NAME("index_id_from_name", 0, 3, false, true),
    /** {@code (table_id, out_ptr u64) -> errno}. */
    DATASTORE_TABLE_ROW_COUNT("datastore_table_row_count", 0, 2, false, true),
    /** {@code (table_id, out_ptr iter) -> errno}. */
    DATASTORE_TABLE_SCAN_BSATN("datastore_table_scan_bsatn", 0, 2, false, true),
    /** {@code (index_id, prefix_ptr, prefix_len, prefix_elems, rstart_ptr, rstart_len, rend_ptr, rend_len, out)}. */
    DATASTORE_INDEX_SCAN_RANGE_BSATN("datastore_index_scan_range_bsatn", 0, 9, false, true),
    /** Deprecated alias of {@link #DATASTORE_INDEX_SCAN_RANGE_BSATN}. */
    DATASTORE_BTREE_SCAN_BSATN("datastore_btree_scan_bsatn", 0, 9, false, true),
    /** Range delete; same parameters as the range scan, out = u32 deleted count. */
    DATASTORE_DELETE_BY_INDEX_SCAN_RANGE_BSATN("datastore_delete_by_index_scan_range_bsatn", 0, 9, false, true),
    /** Deprecated alias of {@link #DATASTORE_DELETE_BY_INDEX_SCAN_RANGE_BSATN}. */
    DATASTORE_DELETE_BY_BTREE_SCAN_BSATN("datastore_delete_by_btree_scan_bsatn", 0, 9, false, true),
    /** {@code (table_id, rel_ptr, rel_len, out_ptr u32) -> errno}. */
    DATASTORE_DELETE_ALL_BY_EQ_BSATN("datastore_delete_all_by_eq_bsatn", 0, 4, false, true),
    /** {@code (iter, buf_ptr, buf_len_ptr) -> 0 | -1 | errno}. */
    ROW_ITER_BSATN_ADVANCE("row_iter_bsatn_advance", 0, 3, false, true),
    /** {@code (iter) -> errno}. */
    ROW_ITER_BSATN_CLOSE("row_iter_bsatn_close", 0, 1, false, true),
    /** {@code (table_id, row_ptr, row_len_ptr) -> errno}. */
    DATASTORE_INSERT_BSATN("datastore_insert_bsatn", 0, 3, false, true),
    /** {@code (table_id, index_id, row_ptr, row_len_ptr) -> errno}. */
    DATASTORE_UPDATE_BSATN("datastore_update_bsatn", 0, 4, false, true),
    /** {@code (name_ptr, name_len, args_ptr, args_len) -> ()}. */
    VOLATILE_NONATOMIC_SCHEDULE_IMMEDIATE("volatile_nonatomic_schedule_immediate", 0, 4, false, false),
    /** {@code (sink, buf_ptr, buf_len_ptr) -> errno}. */
    BYTES_SINK_WRITE("bytes_sink_write", 0, 3, false, true),
    /** {@code (source, buf_ptr, buf_len_ptr) -> 0 | -1 | errno}. */
    BYTES_SOURCE_READ("bytes_source_read", 0, 3, false, true),
    /** {@code (level, target_ptr, target_len, filename_ptr, filename_len, line, message_ptr, message_len)}. */
    CONSOLE_LOG("console_log", 0, 8, false, false),
    /** {@code (name_ptr, name_len) -> timer id}. */
    CONSOLE_TIMER_START("console_timer_start", 0, 2, false, true),
    /** {@code (timer_id) -> errno}. */
    CONSOLE_TIMER_END("console_timer_end", 0, 1, false, true),
    /** {@code (out_ptr 32 bytes) -> ()}. */
    IDENTITY("identity", 0, 1, false, false),
    /** 10.1: {@code (source, out_ptr u32) -> errno}. */
    BYTES_SOURCE_REMAINING_LENGTH("bytes_source_remaining_length", 1, 2, false, true),
    /** 10.2: {@code (connection_id_ptr, out_ptr source) -> errno}. */
    GET_JWT("get_jwt", 2, 2, false, true),
    /** 10.3: {@code (out_ptr i64 timestamp) -> errno}. */
    PROCEDURE_START_MUT_TX("procedure_start_mut_tx", 3, 1, false, true),
    /** 10.3: {@code () -> errno}. */
    PROCEDURE_COMMIT_MUT_TX("procedure_commit_mut_tx", 3, 0, false, true),
    /** 10.3: {@code () -> errno}. */
    PROCEDURE_ABORT_MUT_TX("procedure_abort_mut_tx", 3, 0, false, true),
    /** 10.3: {@code (wake_at_micros i64) -> i64 now}. */
    PROCEDURE_SLEEP_UNTIL("procedure_sleep_until", 3, 1, true, true),
    /** 10.3: {@code (request_ptr, request_len, body_ptr, body_len, out_ptr [source; 2]) -> errno}. */
    PROCEDURE_HTTP_REQUEST("procedure_http_request", 3, 5, false, true),
    /** 10.4: {@code (index_id, point_ptr, point_len, out_ptr iter) -> errno}. */
    DATASTORE_INDEX_SCAN_POINT_BSATN("datastore_index_scan_point_bsatn", 4, 4, false, true),
    /** 10.4: {@code (index_id, point_ptr, point_len, out_ptr u32) -> errno}. */
    DATASTORE_DELETE_BY_INDEX_SCAN_POINT_BSATN("datastore_delete_by_index_scan_point_bsatn", 4, 4, false, true),
    /** 10.5: {@code (table_id, out_ptr u64) -> errno}. */
    DATASTORE_CLEAR("datastore_clear", 5, 2, false, true);

    /** The ABI major version this host implements. */
    public static final int ABI_MAJOR = 10;
    /** The highest ABI minor version this host implements. */
    public static final int ABI_MAX_MINOR = 5;

    private static final Map<String, HostImport> BY_NAME;

    static
    {
        final Map<String, HostImport> byName = new HashMap<>();
        for (final HostImport hostImport : values())
        {
            byName.put(hostImport.importName, hostImport);
        }
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    private final String importName;
    private final int minor;
    private final FunctionType type;

    HostImport(final String importName, final int minor, final int params, final boolean i64, final boolean result)
    {
        this.importName = importName;
        this.minor = minor;
        final List<ValType> paramTypes = new ArrayList<>(params);
        for (int i = 0; i < params; i++)
        {
            paramTypes.add(i64 ? ValType.I64 : ValType.I32);
        }
        final List<ValType> results = result ? List.of(i64 ? ValType.I64 : ValType.I32) : List.of();
        this.type = FunctionType.of(paramTypes, results);
    }

    /**
     * The import's function name.
     *
     * @return e.g. "datastore_insert_bsatn".
     */
    public String importName()
    {
        return importName;
    }

    /**
     * The ABI minor version that introduced it.
     *
     * @return 0..5.
     */
    public int minor()
    {
        return minor;
    }

    /**
     * The import module it lives in.
     *
     * @return e.g. "spacetime_10.0".
     */
    public String moduleName()
    {
        return moduleName(minor);
    }

    /**
     * The wasm signature.
     *
     * @return the function type.
     */
    public FunctionType type()
    {
        return type;
    }

    /**
     * The name of an import module.
     *
     * @param minor the minor version.
     * @return "spacetime_10.{minor}".
     */
    public static String moduleName(final int minor)
    {
        return "spacetime_" + ABI_MAJOR + "." + minor;
    }

    /**
     * Looks up a host import by function name.
     *
     * @param name the function name.
     * @return the import, or null when this host has none of that name.
     */
    public static HostImport byName(final String name)
    {
        return BY_NAME.get(name);
    }
}
