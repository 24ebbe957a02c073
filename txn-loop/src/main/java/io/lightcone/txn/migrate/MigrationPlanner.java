package io.lightcone.txn.migrate;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.ScheduleSchema;
import io.lightcone.core.schema.SequenceSchema;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.moduledef.ModuleDef;
import io.lightcone.core.moduledef.ProcedureDef;
import io.lightcone.core.moduledef.ReducerDef;
import io.lightcone.core.moduledef.ViewDef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Decides whether a module update can be applied automatically, following SpacetimeDB's automatic migration rules
 * (crates/schema/src/auto_migrate.rs), conservatively. Tables, columns, indexes and sequences are matched by
 * canonical name.
 * <p>
 * Allowed, with a data step: a table added; columns appended at the end of a table, each with a default value
 * that decodes as its type; a non-unique index added; an index removed (a unique one too: that drops the unique
 * constraint, which cannot fail, as SpacetimeDB's RemoveConstraint); a table's access changed public/private (as
 * SpacetimeDB's ChangeAccess; the loop must re-check subscriptions). Allowed without one: reducers, procedures,
 * views and row-level-security filters added, removed or changed.
 * <p>
 * Refused, each with a message naming it: a table removed; a column removed, renamed, moved or retyped (no
 * layout-compatible widening such as SpacetimeDB's extra sum variants); a column added before existing ones or
 * without a default value; the primary key changed; a unique index added (existing rows could break it); an
 * existing index changed (columns, algorithm, uniqueness, accessor); the index enforcing the primary key removed;
 * an index name moved to another table; a sequence added, removed or changed; the event flag, system flag or
 * schedule of a table changed. SpacetimeDB at HEAD allows some of these (removing an empty table, schedules and
 * sequences with a range precheck, unique constraints with a data check): they are refused here until each gets
 * a tested data step.
 */
public final class MigrationPlanner
{
    private MigrationPlanner()
    {
    }

    /**
     * Plans an update from {@code oldDef} to {@code newDef}.
     *
     * @param oldDef the module the database runs.
     * @param newDef the module being published.
     * @return the steps, or a refusal listing every incompatible change.
     */
    public static MigrationPlan plan(final ModuleDef oldDef, final ModuleDef newDef)
    {
        final List<String> refusals = new ArrayList<>();
        final List<MigrationStep> steps = new ArrayList<>();
        final Map<String, TableSchema> oldTables = byName(oldDef.tables(), TableSchema::name);
        final Map<String, TableSchema> newTables = byName(newDef.tables(), TableSchema::name);

        for (final TableSchema old : oldTables.values())
        {
            if (!newTables.containsKey(old.name()))
            {
                refusals.add("table " + old.name() + " was removed");
            }
        }
        for (final TableSchema table : newTables.values())
        {
            final TableSchema old = oldTables.get(table.name());
            if (null == old)
            {
                steps.add(new MigrationStep.AddTable(table));
            }
            else
            {
                planTable(old, table, steps, refusals);
            }
        }
        checkIndexNamesStayOnTheirTables(oldDef, newDef, refusals);
        planFunctions(oldDef, newDef, steps);
        return refusals.isEmpty() ? MigrationPlan.allowed(steps) : MigrationPlan.refused(refusals);
    }

    private static void planTable(
        final TableSchema old, final TableSchema table, final List<MigrationStep> steps, final List<String> refusals)
    {
        final String name = table.name();
        if (old.isEvent() != table.isEvent())
        {
            refusals.add("event flag of table " + name + " changed from " + old.isEvent() + " to " +
                table.isEvent() + " (it is immutable)");
        }
        if (old.isSystem() != table.isSystem())
        {
            refusals.add("table " + name + " changed from a " + (old.isSystem() ? "system" : "user") + " to a " +
                (table.isSystem() ? "system" : "user") + " table");
        }
        if (!Objects.equals(old.schedule(), table.schedule()))
        {
            refusals.add("schedule of table " + name + " changed from " + describe(old, old.schedule()) + " to " +
                describe(table, table.schedule()));
        }
        planColumns(old, table, steps, refusals);
        final String oldKey = columnList(old, old.primaryKey());
        final String newKey = columnList(table, table.primaryKey());
        if (!oldKey.equals(newKey))
        {
            refusals.add("primary key of table " + name + " changed from " + oldKey + " to " + newKey);
        }
        planIndexes(old, table, !oldKey.equals(newKey), steps, refusals);
        planSequences(old, table, refusals);
        if (old.access() != table.access())
        {
            steps.add(new MigrationStep.ChangeAccess(name, old.access(), table.access()));
        }
    }

    private static void planColumns(
        final TableSchema old, final TableSchema table, final List<MigrationStep> steps, final List<String> refusals)
    {
        final String name = table.name();
        final int before = refusals.size();
        final List<String> renamedTo = new ArrayList<>();
        for (int i = 0; i < old.columnCount(); i++)
        {
            final String column = old.columnName(i);
            final int j = table.columnIndex(column);
            if (j < 0)
            {
                final boolean renamed = i < table.columnCount() && old.columnIndex(table.columnName(i)) < 0 &&
                    old.columnType(i).equals(table.columnType(i));
                if (renamed)
                {
                    renamedTo.add(table.columnName(i));
                    refusals.add("column " + column + " of table " + name + " was renamed to " + table.columnName(i));
                }
                else
                {
                    refusals.add("column " + column + " of table " + name + " was removed");
                }
                continue;
            }
            if (j != i)
            {
                refusals.add("column " + column + " of table " + name + " moved from position " + i +
                    " to position " + j);
            }
            if (!old.columnType(i).equals(table.columnType(j)))
            {
                refusals.add("column " + column + " of table " + name + " changed type from " +
                    TypeNames.of(old.columnType(i)) + " to " + TypeNames.of(table.columnType(j)));
            }
        }
        final boolean kept = refusals.size() == before;
        final List<MigrationStep.NewColumn> added = new ArrayList<>();
        for (int j = 0; j < table.columnCount(); j++)
        {
            final String column = table.columnName(j);
            if (old.columnIndex(column) >= 0 || renamedTo.contains(column))
            {
                continue;
            }
            if (j < old.columnCount())
            {
                refusals.add("column " + column + " of table " + name + " was added at position " + j +
                    ", not at the end");
                continue;
            }
            final byte[] value = table.defaultValues().get(j);
            if (null == value)
            {
                refusals.add("column " + column + " of table " + name + " was added without a default value");
                continue;
            }
            final AlgebraicType type = table.columnType(j);
            try
            {
                Bsatn.decodeValueFully(value, type);
                added.add(new MigrationStep.NewColumn(column, type, value));
            }
            catch (final BsatnDecodeException | IllegalArgumentException ex)
            {
                refusals.add("default value of column " + column + " of table " + name + " is not a valid " +
                    TypeNames.of(type) + ": " + ex.getMessage());
            }
        }
        if (kept && !added.isEmpty() && refusals.size() == before)
        {
            steps.add(new MigrationStep.AddColumns(name, added));
        }
    }

    private static void planIndexes(
        final TableSchema old,
        final TableSchema table,
        final boolean keyChanged,
        final List<MigrationStep> steps,
        final List<String> refusals)
    {
        final String name = table.name();
        final Map<String, IndexSchema> oldIndexes = byName(old.indexes(), IndexSchema::name);
        final Map<String, IndexSchema> newIndexes = byName(table.indexes(), IndexSchema::name);
        final int oldKeyIndex = old.primaryKeyIndex();
        for (final IndexSchema index : oldIndexes.values())
        {
            final IndexSchema changed = newIndexes.get(index.name());
            if (null == changed)
            {
                if (oldKeyIndex >= 0 && old.indexes().get(oldKeyIndex).name().equals(index.name()))
                {
                    if (!keyChanged)
                    {
                        refusals.add("index " + index.name() + " of table " + name +
                            ", which enforces the primary key, was removed or renamed");
                    }
                }
                else
                {
                    steps.add(new MigrationStep.RemoveIndex(name, index.name()));
                }
            }
            else if (!describe(old, index).equals(describe(table, changed)) ||
                !Objects.equals(index.accessorName(), changed.accessorName()))
            {
                refusals.add("index " + index.name() + " of table " + name + " changed from " + describe(old, index) +
                    " to " + describe(table, changed));
            }
        }
        for (final IndexSchema index : newIndexes.values())
        {
            if (oldIndexes.containsKey(index.name()))
            {
                continue;
            }
            if (index.unique())
            {
                if (!keyChanged || !index.hasColumns(table.primaryKey()))
                {
                    refusals.add("unique constraint on " + columnList(table, index.columns()) + " of table " + name +
                        " was added (index " + index.name() + "); existing rows could violate it");
                }
            }
            else
            {
                steps.add(new MigrationStep.AddIndex(name, index));
            }
        }
    }

    private static void planSequences(final TableSchema old, final TableSchema table, final List<String> refusals)
    {
        final String name = table.name();
        final Map<String, SequenceSchema> oldSequences = byName(old.sequences(), SequenceSchema::name);
        final Map<String, SequenceSchema> newSequences = byName(table.sequences(), SequenceSchema::name);
        for (final SequenceSchema sequence : oldSequences.values())
        {
            final SequenceSchema changed = newSequences.get(sequence.name());
            if (null == changed)
            {
                refusals.add("sequence " + sequence.name() + " of table " + name + " was removed");
            }
            else if (!describe(old, sequence).equals(describe(table, changed)))
            {
                refusals.add("sequence " + sequence.name() + " of table " + name + " changed from " +
                    describe(old, sequence) + " to " + describe(table, changed));
            }
        }
        for (final SequenceSchema sequence : newSequences.values())
        {
            if (!oldSequences.containsKey(sequence.name()))
            {
                refusals.add("sequence " + sequence.name() + " on column " + columnName(table, sequence.column()) +
                    " of table " + name + " was added");
            }
        }
    }

    private static void checkIndexNamesStayOnTheirTables(
        final ModuleDef oldDef, final ModuleDef newDef, final List<String> refusals)
    {
        final Map<String, String> oldOwners = new HashMap<>();
        for (final TableSchema table : oldDef.tables())
        {
            for (final IndexSchema index : table.indexes())
            {
                oldOwners.put(index.name(), table.name());
            }
        }
        for (final TableSchema table : newDef.tables())
        {
            for (final IndexSchema index : table.indexes())
            {
                final String owner = oldOwners.get(index.name());
                if (null != owner && !owner.equals(table.name()))
                {
                    refusals.add("index " + index.name() + " moved from table " + owner + " to table " +
                        table.name());
                }
            }
        }
    }

    private static void planFunctions(final ModuleDef oldDef, final ModuleDef newDef, final List<MigrationStep> steps)
    {
        compareByName("reducer", oldDef.reducers(), newDef.reducers(), ReducerDef::name,
            r -> List.of(r.params(), String.valueOf(r.lifecycle()), r.clientCallable()), steps);
        compareByName("procedure", oldDef.procedures(), newDef.procedures(), ProcedureDef::name,
            p -> List.of(p.params(), p.returnType()), steps);
        compareByName("view", oldDef.views(), newDef.views(), ViewDef::name,
            v -> List.of(v.isPublic(), v.anonymous(), v.params(), v.returnType()), steps);
        for (final String filter : oldDef.rowLevelSecurity())
        {
            if (!newDef.rowLevelSecurity().contains(filter))
            {
                steps.add(new MigrationStep.NoDataChange("row-level-security filter removed: " + filter));
            }
        }
        for (final String filter : newDef.rowLevelSecurity())
        {
            if (!oldDef.rowLevelSecurity().contains(filter))
            {
                steps.add(new MigrationStep.NoDataChange("row-level-security filter added: " + filter));
            }
        }
    }

    private static <T> void compareByName(
        final String kind,
        final List<T> oldItems,
        final List<T> newItems,
        final Function<T, String> nameOf,
        final Function<T, Object> signatureOf,
        final List<MigrationStep> steps)
    {
        final Map<String, T> olds = byName(oldItems, nameOf);
        final Map<String, T> news = byName(newItems, nameOf);
        for (final Map.Entry<String, T> e : olds.entrySet())
        {
            final T changed = news.get(e.getKey());
            if (null == changed)
            {
                steps.add(new MigrationStep.NoDataChange(kind + " " + e.getKey() + " removed"));
            }
            else if (!signatureOf.apply(e.getValue()).equals(signatureOf.apply(changed)))
            {
                steps.add(new MigrationStep.NoDataChange(kind + " " + e.getKey() + " changed"));
            }
        }
        for (final String name : news.keySet())
        {
            if (!olds.containsKey(name))
            {
                steps.add(new MigrationStep.NoDataChange(kind + " " + name + " added"));
            }
        }
    }

    private static <T> Map<String, T> byName(final List<T> items, final Function<T, String> nameOf)
    {
        final Map<String, T> map = new LinkedHashMap<>();
        for (final T item : items)
        {
            map.put(nameOf.apply(item), item);
        }
        return map;
    }

    private static String columnName(final TableSchema table, final int column)
    {
        return column >= 0 && column < table.columnCount() ? table.columnName(column) : "#" + column;
    }

    private static String columnList(final TableSchema table, final int[] columns)
    {
        if (columns.length == 0)
        {
            return "(none)";
        }
        final StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < columns.length; i++)
        {
            sb.append(i == 0 ? "" : ", ").append(columnName(table, columns[i]));
        }
        return sb.append(')').toString();
    }

    private static String describe(final TableSchema table, final IndexSchema index)
    {
        return (index.unique() ? "unique " : "") + index.algorithm().name().toLowerCase(Locale.ROOT) +
            columnList(table, index.columns()) + (null == index.accessorName() ? "" :
            " accessor " + index.accessorName());
    }

    private static String describe(final TableSchema table, final SequenceSchema sequence)
    {
        return "column " + columnName(table, sequence.column()) + " start " + sequence.start() + " min " +
            sequence.minValue() + " max " + sequence.maxValue() + " increment " + sequence.increment();
    }

    private static String describe(final TableSchema table, final ScheduleSchema schedule)
    {
        return null == schedule ? "none" : "reducer " + schedule.functionName() + " at column " +
            columnName(table, schedule.scheduleAtColumn());
    }
}
