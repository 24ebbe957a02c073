package io.lightcone.cli.generate;

import io.lightcone.core.moduledef.ModuleDef;
import io.lightcone.core.moduledef.TableNames;
import io.lightcone.core.moduledef.ViewDef;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ArrayType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.SpecialType;
import io.lightcone.core.sats.SumType;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.TableAccess;
import io.lightcone.core.schema.TableSchema;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A table or a view as a client sees it: a row type, a canonical name, an accessor. Bindings hold the public,
 * non-system tables and the views whose return type holds rows.
 *
 * @param name       the canonical name (what SQL and the wire use).
 * @param accessor   the source name, from which accessors and file names derive.
 * @param row        the row type, inlined.
 * @param primaryKey the primary key column, or -1.
 * @param indexes    the indexes that have an accessor, by name.
 * @param uniques    the unique indexes (one unique constraint each), by constraint name.
 * @param event      whether it is an event table.
 * @param view       whether it is a view.
 */
public record ClientTable(
    String name,
    String accessor,
    ProductType row,
    int primaryKey,
    List<IndexSchema> indexes,
    List<IndexSchema> uniques,
    boolean event,
    boolean view)
{
    /**
     * The client tables of a module: public tables by canonical name, then views by canonical name.
     *
     * @param def the module definition.
     * @return the tables.
     */
    public static List<ClientTable> of(final ModuleDef def)
    {
        final List<ClientTable> tables = new ArrayList<>();
        final List<ClientTable> views = new ArrayList<>();
        for (int i = 0; i < def.tables().size(); i++)
        {
            final TableSchema table = def.tables().get(i);
            final TableNames names = def.tableNames().get(i);
            if (table.access() != TableAccess.PUBLIC || table.isSystem())
            {
                continue;
            }
            final List<IndexSchema> indexes = new ArrayList<>();
            final List<IndexSchema> uniques = new ArrayList<>();
            for (final IndexSchema index : table.indexes())
            {
                if (null != index.accessorName())
                {
                    indexes.add(index);
                }
                if (index.unique())
                {
                    uniques.add(index);
                }
            }
            indexes.sort(Comparator.comparing(IndexSchema::name));
            uniques.sort(Comparator.comparing((u) -> constraintName(table, u)));
            final int[] pk = table.primaryKey();
            tables.add(new ClientTable(table.name(), names.sourceName(), table.rowType(),
                pk.length == 1 ? pk[0] : -1, indexes, uniques, table.isEvent(), false));
        }
        for (final ViewDef view : def.views())
        {
            final ProductType row = viewRow(view.returnType());
            if (null != row)
            {
                views.add(new ClientTable(view.name(), view.sourceName(), row, -1, List.of(), List.of(), false,
                    true));
            }
        }
        tables.sort(Comparator.comparing(ClientTable::name));
        views.sort(Comparator.comparing(ClientTable::name));
        tables.addAll(views);
        return tables;
    }

    private static ProductType viewRow(final AlgebraicType returnType)
    {
        AlgebraicType row = returnType;
        if (returnType instanceof SumType sum && sum.special() == SpecialType.OPTION)
        {
            row = sum.variants().get(0).type();
        }
        else if (returnType instanceof ArrayType array)
        {
            row = array.elementType();
        }
        return row instanceof ProductType product && product.special() == SpecialType.NONE ? product : null;
    }

    private static String constraintName(final TableSchema table, final IndexSchema unique)
    {
        final StringBuilder sb = new StringBuilder(table.name());
        for (final int column : unique.columns())
        {
            sb.append('_').append(table.columnName(column));
        }
        return sb.append("_key").toString();
    }
}
