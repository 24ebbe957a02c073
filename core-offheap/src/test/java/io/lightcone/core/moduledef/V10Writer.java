package io.lightcone.core.moduledef;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductTypeElement;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Test builder: writes a BSATN RawModuleDef::V10 section by section (reference/spacetimedb-contracts.md §4.5).
 */
final class V10Writer
{
    private final List<Consumer<BsatnWriter>> sections = new ArrayList<>();

    static V10Writer v10()
    {
        return new V10Writer();
    }

    V10Writer typespace(final AlgebraicType... types)
    {
        return section(0, w ->
        {
            w.writeU32(types.length);
            for (final AlgebraicType t : types)
            {
                Bsatn.encodeType(w, t);
            }
        });
    }

    V10Writer types(final String name, final int ref)
    {
        return section(1, w ->
        {
            w.writeU32(1).writeU32(1).writeString("scope").writeString(name).writeU32(ref).writeBool(true);
        });
    }

    V10Writer tables(final Table... tables)
    {
        return section(2, w ->
        {
            w.writeU32(tables.length);
            for (final Table t : tables)
            {
                t.write(w);
            }
        });
    }

    V10Writer reducers(final Object... nameParamsCallable)
    {
        return section(3, w ->
        {
            w.writeU32(nameParamsCallable.length / 3);
            for (int i = 0; i < nameParamsCallable.length; i += 3)
            {
                w.writeString((String)nameParamsCallable[i]);
                product(w, (ProductType)nameParamsCallable[i + 1]);
                w.writeU8((Boolean)nameParamsCallable[i + 2] ? 1 : 0);
                Bsatn.encodeType(w, ProductType.UNIT);
                Bsatn.encodeType(w, AlgebraicType.STRING);
            }
        });
    }

    V10Writer rawReducer(final String name, final AlgebraicType ok, final AlgebraicType err)
    {
        return section(3, w ->
        {
            w.writeU32(1).writeString(name);
            product(w, ProductType.UNIT);
            w.writeU8(1);
            Bsatn.encodeType(w, ok);
            Bsatn.encodeType(w, err);
        });
    }

    V10Writer procedures(final String name, final ProductType params, final AlgebraicType returns)
    {
        return section(4, w ->
        {
            w.writeU32(1).writeString(name);
            product(w, params);
            Bsatn.encodeType(w, returns);
            w.writeU8(1);
        });
    }

    V10Writer views(final String name, final int index, final boolean anonymous, final AlgebraicType returns)
    {
        return section(5, w ->
        {
            w.writeU32(1).writeString(name).writeU32(index).writeBool(true).writeBool(anonymous);
            product(w, ProductType.UNIT);
            Bsatn.encodeType(w, returns);
        });
    }

    V10Writer schedule(final String table, final int column, final String function)
    {
        return section(6, w ->
        {
            w.writeU32(1).writeU8(0).writeString("ignored_sched").writeString(table).writeU16(column)
                .writeString(function);
        });
    }

    V10Writer lifecycles(final Object... lifecycleAndName)
    {
        return section(7, w ->
        {
            w.writeU32(lifecycleAndName.length / 2);
            for (int i = 0; i < lifecycleAndName.length; i += 2)
            {
                w.writeU8(((Lifecycle)lifecycleAndName[i]).ordinal()).writeString((String)lifecycleAndName[i + 1]);
            }
        });
    }

    V10Writer rls(final String... sql)
    {
        return section(8, w ->
        {
            w.writeU32(sql.length);
            for (final String rule : sql)
            {
                w.writeString(rule);
            }
        });
    }

    V10Writer casePolicy(final int tag)
    {
        return section(9, w -> w.writeU8(tag));
    }

    V10Writer explicitNames(final Object... kindSourceCanonical)
    {
        return section(10, w ->
        {
            w.writeU32(kindSourceCanonical.length / 3);
            for (int i = 0; i < kindSourceCanonical.length; i += 3)
            {
                w.writeU8((Integer)kindSourceCanonical[i]).writeString((String)kindSourceCanonical[i + 1])
                    .writeString((String)kindSourceCanonical[i + 2]);
            }
        });
    }

    V10Writer httpHandlers(final String name)
    {
        return section(11, w -> w.writeU32(1).writeString(name));
    }

    V10Writer httpRoutes(final String handler, final String path)
    {
        return section(12, w ->
        {
            w.writeU32(2);
            w.writeString(handler).writeU8(0).writeString(path);
            w.writeString(handler).writeU8(1).writeU8(9).writeString("PURGE").writeString(path);
        });
    }

    V10Writer viewPrimaryKeys(final String view, final String column)
    {
        return section(13, w -> w.writeU32(1).writeString(view).writeU32(1).writeString(column));
    }

    V10Writer submodules(final int count)
    {
        return section(14, w ->
        {
            w.writeU32(count);
            for (int i = 0; i < count; i++)
            {
                w.writeString("sub" + i).writeU32(0);
            }
        });
    }

    V10Writer raw(final int tag, final Consumer<BsatnWriter> body)
    {
        return section(tag, body);
    }

    byte[] build()
    {
        final BsatnWriter w = new BsatnWriter();
        w.writeU8(2).writeU32(sections.size());
        for (final Consumer<BsatnWriter> s : sections)
        {
            s.accept(w);
        }
        return w.toByteArray();
    }

    private V10Writer section(final int tag, final Consumer<BsatnWriter> body)
    {
        sections.add(w ->
        {
            w.writeU8(tag);
            body.accept(w);
        });
        return this;
    }

    static void product(final BsatnWriter w, final ProductType p)
    {
        w.writeU32(p.size());
        for (final ProductTypeElement e : p.elements())
        {
            if (null == e.name())
            {
                w.writeU8(1);
            }
            else
            {
                w.writeU8(0).writeString(e.name());
            }
            Bsatn.encodeType(w, e.type());
        }
    }

    static void i128(final BsatnWriter w, final long value)
    {
        w.writeU64(value).writeU64(value < 0 ? -1L : 0L);
    }

    static Table table(final String name, final int ref)
    {
        return new Table(name, ref);
    }

    /** A table definition. */
    static final class Table
    {
        private final String name;
        private final int ref;
        private int[] pk = new int[0];
        private final List<Consumer<BsatnWriter>> indexes = new ArrayList<>();
        private final List<int[]> uniques = new ArrayList<>();
        private final List<Consumer<BsatnWriter>> sequences = new ArrayList<>();
        private boolean system;
        private boolean privateAccess;
        private final List<Consumer<BsatnWriter>> defaults = new ArrayList<>();
        private boolean event;

        Table(final String name, final int ref)
        {
            this.name = name;
            this.ref = ref;
        }

        Table pk(final int... columns)
        {
            this.pk = columns;
            return this;
        }

        Table index(final String source, final String accessor, final int algorithm, final int... columns)
        {
            indexes.add(w ->
            {
                optString(w, source);
                optString(w, accessor);
                w.writeU8(algorithm);
                if (algorithm == 2)
                {
                    w.writeU16(columns[0]);
                }
                else
                {
                    colList(w, columns);
                }
            });
            return this;
        }

        Table unique(final int... columns)
        {
            uniques.add(columns);
            return this;
        }

        Table sequence(final int column, final Long start, final Long min, final Long max, final long increment)
        {
            sequences.add(w ->
            {
                w.writeU8(1).writeU16(column);
                optI128(w, start);
                optI128(w, min);
                optI128(w, max);
                i128(w, increment);
            });
            return this;
        }

        Table system()
        {
            system = true;
            return this;
        }

        Table privateAccess()
        {
            privateAccess = true;
            return this;
        }

        Table event()
        {
            event = true;
            return this;
        }

        Table defaultValue(final int column, final byte[] value)
        {
            defaults.add(w -> w.writeU16(column).writeByteArray(value));
            return this;
        }

        void write(final BsatnWriter w)
        {
            w.writeString(name).writeU32(ref);
            colList(w, pk);
            w.writeU32(indexes.size());
            indexes.forEach(i -> i.accept(w));
            w.writeU32(uniques.size());
            for (final int[] u : uniques)
            {
                w.writeU8(0).writeString("ignored_key").writeU8(0);
                colList(w, u);
            }
            w.writeU32(sequences.size());
            sequences.forEach(s -> s.accept(w));
            w.writeU8(system ? 0 : 1).writeU8(privateAccess ? 1 : 0);
            w.writeU32(defaults.size());
            defaults.forEach(d -> d.accept(w));
            w.writeBool(event);
        }

        private static void optString(final BsatnWriter w, final String s)
        {
            if (null == s)
            {
                w.writeU8(1);
            }
            else
            {
                w.writeU8(0).writeString(s);
            }
        }

        private static void optI128(final BsatnWriter w, final Long v)
        {
            if (null == v)
            {
                w.writeU8(1);
            }
            else
            {
                w.writeU8(0);
                i128(w, v);
            }
        }

        private static void colList(final BsatnWriter w, final int[] columns)
        {
            w.writeU32(columns.length);
            for (final int c : columns)
            {
                w.writeU16(c);
            }
        }
    }
}
