package io.lightcone.wasm.host;

import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.core.moduledef.ModuleDef;

import java.util.ArrayList;
import java.util.List;

/**
 * Creates a module's tables in a {@link Datastore} from its {@link ModuleDef}: what publishing does before the
 * first reducer runs. The def's schemas are used as decoded (canonical table, column and index names; schedules,
 * sequences, defaults and the event flag carried along); the datastore assigns table and index ids.
 * <p>
 * Views are not tables: they are computed by {@link ModuleInstance#callView(io.lightcone.core.txn.MutTx, String,
 * byte[], byte[])} and have no storage here.
 */
public final class ModuleSchemas
{
    private ModuleSchemas()
    {
    }

    /**
     * Creates every table of a def. Either all are created or, when one fails, those created before it are
     * dropped again.
     *
     * @param def       the module def.
     * @param datastore the datastore; no transaction may be open.
     * @return the created tables, in def order.
     * @throws IllegalArgumentException when a table of that name already exists or a schema is refused.
     */
    public static List<StoredTable> createTables(final ModuleDef def, final Datastore datastore)
    {
        final List<StoredTable> created = new ArrayList<>(def.tables().size());
        try
        {
            for (final TableSchema schema : def.tables())
            {
                created.add(datastore.createTable(schema));
            }
        }
        catch (final RuntimeException ex)
        {
            for (final StoredTable table : created)
            {
                datastore.dropTable(table.tableId());
            }
            throw ex;
        }
        return List.copyOf(created);
    }
}
