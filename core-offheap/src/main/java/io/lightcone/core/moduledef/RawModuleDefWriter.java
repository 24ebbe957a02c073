package io.lightcone.core.moduledef;

import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductTypeElement;
import io.lightcone.core.schema.IndexAlgorithm;

import java.math.BigInteger;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes a {@link RawModuleDef} as the BSATN of a {@code RawModuleDef} V9 or V10 (reference/spacetimedb-contracts.md
 * §4.5), the inverse of {@link RawModuleDefReader}: reading the bytes back gives the same model.
 * <p>
 * V10 writes the non-empty sections in tag order ({@code Typespace} always, {@code CaseConversionPolicy} when the
 * model has one). V9 puts each table's schedule back into the table, each reducer's lifecycle back into the
 * reducer, and the column default values, procedures and views into {@code misc_exports}, in that order; a V9
 * writing ignores what V9 cannot say (visibility, return types, event tables, HTTP handlers and routes, view
 * primary keys, case conversion, explicit names); {@link RawModuleDefConverter} resolves names before.
 */
final class RawModuleDefWriter
{
    private final BsatnWriter out = new BsatnWriter();

    private RawModuleDefWriter()
    {
    }

    /**
     * The BSATN RawModuleDef of a model, in the model's version.
     *
     * @param def the model; {@link RawModuleDef#version()} 9 or 10.
     * @return the bytes, version tag first.
     */
    static byte[] write(final RawModuleDef def)
    {
        final RawModuleDefWriter writer = new RawModuleDefWriter();
        if (def.version() == 9)
        {
            writer.out.writeU8(1);
            writer.writeV9(def);
        }
        else
        {
            writer.out.writeU8(2);
            writer.writeV10(def);
        }
        return writer.out.toByteArray();
    }

    // ------------------------------------------------------------------------------------------------------------
    // V9
    // ------------------------------------------------------------------------------------------------------------

    private void writeV9(final RawModuleDef def)
    {
        Bsatn.encodeTypespace(out, def.typespace());
        array(def.tables(), t ->
        {
            out.writeString(t.sourceName());
            writeTableHead(t);
            RawModuleDef.Schedule schedule = null;
            for (final RawModuleDef.Schedule s : def.schedules())
            {
                schedule = s.tableName().equals(t.sourceName()) ? s : schedule;
            }
            if (null == schedule)
            {
                out.writeU8(1);
            }
            else
            {
                out.writeU8(0);
                optionString(schedule.sourceName());
                out.writeString(schedule.functionName());
                out.writeU16(schedule.column());
            }
            out.writeU8(t.system() ? 0 : 1);
            out.writeU8(t.privateAccess() ? 1 : 0);
        });
        array(def.reducers(), r ->
        {
            out.writeString(r.sourceName());
            productType(r.params());
            Lifecycle lifecycle = null;
            for (final RawModuleDef.LifecycleAssignment a : def.lifecycles())
            {
                lifecycle = a.functionName().equals(r.sourceName()) ? a.lifecycle() : lifecycle;
            }
            if (null == lifecycle)
            {
                out.writeU8(1);
            }
            else
            {
                out.writeU8(0);
                out.writeU8(lifecycle.ordinal());
            }
        });
        array(def.types(), t ->
        {
            array(t.scope(), out::writeString);
            out.writeString(t.name());
            out.writeU32(t.typeRef());
            out.writeBool(t.customOrdering());
        });
        int misc = def.procedures().size() + def.views().size();
        for (final RawModuleDef.Table table : def.tables())
        {
            misc += table.defaults().size();
        }
        out.writeU32(misc);
        for (final RawModuleDef.Table table : def.tables())
        {
            for (final RawModuleDef.DefaultValue d : table.defaults())
            {
                out.writeU8(0);
                out.writeString(table.sourceName());
                out.writeU16(d.column());
                out.writeByteArray(d.value());
            }
        }
        for (final RawModuleDef.Procedure p : def.procedures())
        {
            out.writeU8(1);
            out.writeString(p.sourceName());
            productType(p.params());
            Bsatn.encodeType(out, p.returnType());
        }
        for (final RawModuleDef.View v : def.views())
        {
            out.writeU8(2);
            view(v);
        }
        array(def.rowLevelSecurity(), out::writeString);
    }

    // ------------------------------------------------------------------------------------------------------------
    // V10
    // ------------------------------------------------------------------------------------------------------------

    private void writeV10(final RawModuleDef def)
    {
        int count = 1 + nonEmpty(def.types(), def.tables(), def.reducers(), def.procedures(), def.views(),
            def.schedules(), def.lifecycles(), def.rowLevelSecurity(), def.explicitNames(), def.httpHandlers(),
            def.httpRoutes(), def.viewPrimaryKeys());
        count += null == def.caseConversion() ? 0 : 1;
        out.writeU32(count);
        out.writeU8(0);
        Bsatn.encodeTypespace(out, def.typespace());
        section(1, def.types(), t ->
        {
            array(t.scope(), out::writeString);
            out.writeString(t.name());
            out.writeU32(t.typeRef());
            out.writeBool(t.customOrdering());
        });
        section(2, def.tables(), t ->
        {
            out.writeString(t.sourceName());
            writeTableHead(t);
            out.writeU8(t.system() ? 0 : 1);
            out.writeU8(t.privateAccess() ? 1 : 0);
            array(t.defaults(), d ->
            {
                out.writeU16(d.column());
                out.writeByteArray(d.value());
            });
            out.writeBool(t.event());
        });
        section(3, def.reducers(), r ->
        {
            out.writeString(r.sourceName());
            productType(r.params());
            out.writeU8(r.clientCallable() ? 1 : 0);
            Bsatn.encodeType(out, r.okType());
            Bsatn.encodeType(out, r.errType());
        });
        section(4, def.procedures(), p ->
        {
            out.writeString(p.sourceName());
            productType(p.params());
            Bsatn.encodeType(out, p.returnType());
            out.writeU8(p.clientCallable() ? 1 : 0);
        });
        section(5, def.views(), this::view);
        section(6, def.schedules(), s ->
        {
            optionString(s.sourceName());
            out.writeString(s.tableName());
            out.writeU16(s.column());
            out.writeString(s.functionName());
        });
        section(7, def.lifecycles(), a ->
        {
            out.writeU8(a.lifecycle().ordinal());
            out.writeString(a.functionName());
        });
        section(8, def.rowLevelSecurity(), out::writeString);
        if (null != def.caseConversion())
        {
            out.writeU8(9);
            out.writeU8(def.caseConversion() == CaseConversion.NONE ? 0 : 1);
        }
        section(10, def.explicitNames(), n ->
        {
            out.writeU8(n.kind());
            out.writeString(n.sourceName());
            out.writeString(n.canonicalName());
        });
        section(11, def.httpHandlers(), out::writeString);
        section(12, def.httpRoutes(), this::httpRoute);
        section(13, def.viewPrimaryKeys(), k ->
        {
            out.writeString(k.view());
            array(k.columns(), out::writeString);
        });
    }

    private void httpRoute(final HttpRouteDef route)
    {
        out.writeString(route.handler());
        if (null == route.method())
        {
            out.writeU8(0);
        }
        else
        {
            out.writeU8(1);
            int tag = RawModuleDefReader.HTTP_METHODS.length;
            for (int i = 0; i < RawModuleDefReader.HTTP_METHODS.length; i++)
            {
                tag = RawModuleDefReader.HTTP_METHODS[i].equals(route.method()) ? i : tag;
            }
            out.writeU8(tag);
            if (tag == RawModuleDefReader.HTTP_METHODS.length)
            {
                out.writeString(route.method());
            }
        }
        out.writeString(route.path());
    }

    private static int nonEmpty(final List<?>... lists)
    {
        int count = 0;
        for (final List<?> list : lists)
        {
            count += list.isEmpty() ? 0 : 1;
        }
        return count;
    }

    private <T> void section(final int tag, final List<T> items, final Consumer<T> element)
    {
        if (!items.isEmpty())
        {
            out.writeU8(tag);
            array(items, element);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Shared parts
    // ------------------------------------------------------------------------------------------------------------

    /** Name excluded: product_type_ref, primary_key, indexes, constraints, sequences. */
    private void writeTableHead(final RawModuleDef.Table t)
    {
        out.writeU32(t.typeRef());
        colList(t.primaryKey());
        array(t.indexes(), i ->
        {
            optionString(i.sourceName());
            optionString(i.accessorName());
            out.writeU8(i.algorithm().ordinal());
            if (i.algorithm() == IndexAlgorithm.DIRECT)
            {
                out.writeU16(i.columns()[0]);
            }
            else
            {
                colList(i.columns());
            }
        });
        array(t.uniques(), u ->
        {
            optionString(u.sourceName());
            out.writeU8(0);
            colList(u.columns());
        });
        array(t.sequences(), s ->
        {
            optionString(s.sourceName());
            out.writeU16(s.column());
            optionI128(s.start());
            optionI128(s.min());
            optionI128(s.max());
            i128(s.increment());
        });
    }

    private void view(final RawModuleDef.View v)
    {
        out.writeString(v.sourceName());
        out.writeU32(v.index());
        out.writeBool(v.isPublic());
        out.writeBool(v.anonymous());
        productType(v.params());
        Bsatn.encodeType(out, v.returnType());
    }

    private void productType(final ProductType product)
    {
        array(product.elements(), (final ProductTypeElement e) ->
        {
            optionString(e.name());
            Bsatn.encodeType(out, e.type());
        });
    }

    private <T> void array(final List<T> items, final Consumer<T> element)
    {
        out.writeU32(items.size());
        items.forEach(element);
    }

    private void colList(final int[] columns)
    {
        out.writeU32(columns.length);
        for (final int column : columns)
        {
            out.writeU16(column);
        }
    }

    private void optionString(final String value)
    {
        if (null == value)
        {
            out.writeU8(1);
        }
        else
        {
            out.writeU8(0);
            out.writeString(value);
        }
    }

    private void optionI128(final BigInteger value)
    {
        if (null == value)
        {
            out.writeU8(1);
        }
        else
        {
            out.writeU8(0);
            i128(value);
        }
    }

    private void i128(final BigInteger value)
    {
        writeI128(out, value);
    }

    /**
     * Writes an i128 little-endian two's complement.
     *
     * @param out   the writer.
     * @param value the value, within the i128 range.
     */
    static void writeI128(final BsatnWriter out, final BigInteger value)
    {
        final byte[] be = value.toByteArray();
        final byte[] le = new byte[16];
        final byte sign = (byte)(value.signum() < 0 ? -1 : 0);
        for (int i = 0; i < 16; i++)
        {
            le[i] = i < be.length ? be[be.length - 1 - i] : sign;
        }
        out.writeRaw(le);
    }
}
