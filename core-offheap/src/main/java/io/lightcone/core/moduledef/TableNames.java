package io.lightcone.core.moduledef;

import java.util.List;
import java.util.Map;

/**
 * The names of a table besides its canonical ones: SpacetimeDB keeps the module's source names as aliases, so
 * {@code table_id_from_name} and {@code index_id_from_name} accept either (reference/spacetimedb-contracts.md §4.2,
 * §4.5).
 *
 * @param name              the canonical table name (= {@code TableSchema.name()}).
 * @param sourceName        the table name in the module's source.
 * @param columnSourceNames the column names as written in the typespace, in column order.
 * @param indexSourceNames  canonical index name to source index name, for indexes that have a source name.
 * @param scheduleName      the schedule's name ({@code <table>_sched} in V10), or null when not a schedule table.
 */
public record TableNames(
    String name,
    String sourceName,
    List<String> columnSourceNames,
    Map<String, String> indexSourceNames,
    String scheduleName)
{
    /**
     * Copies the collections.
     *
     * @param name              the canonical table name.
     * @param sourceName        the source table name.
     * @param columnSourceNames the source column names.
     * @param indexSourceNames  canonical to source index names.
     * @param scheduleName      the schedule name, or null.
     */
    public TableNames
    {
        columnSourceNames = List.copyOf(columnSourceNames);
        indexSourceNames = Map.copyOf(indexSourceNames);
    }
}
