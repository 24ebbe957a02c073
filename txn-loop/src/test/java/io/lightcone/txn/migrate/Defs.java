package io.lightcone.txn.migrate;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.Typespace;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.moduledef.ModuleDef;
import io.lightcone.core.moduledef.ReducerDef;

import java.util.List;

/**
 * Module definitions for migration tests, built with the record constructors.
 */
final class Defs
{
    static final ProductType PLAYER = ProductType.of("id", AlgebraicType.U32, "name", AlgebraicType.STRING,
        "level", AlgebraicType.U32);

    private Defs()
    {
    }

    static ModuleDef module(final List<TableSchema> tables, final List<ReducerDef> reducers)
    {
        return new ModuleDef(10, Typespace.EMPTY, tables, reducers, List.of(), List.of(), List.of(), List.of());
    }

    static ModuleDef module(final TableSchema... tables)
    {
        return module(List.of(tables), List.of());
    }

    static ReducerDef reducer(final int id, final String name, final ProductType params)
    {
        return new ReducerDef(id, name, name, params, null, true);
    }

    static TableSchema.Builder player()
    {
        return TableSchema.builder("player", PLAYER).primaryKey(0).autoInc(0);
    }

    static TableSchema.Builder player(final ProductType rowType)
    {
        return TableSchema.builder("player", rowType).primaryKey(0).autoInc(0);
    }

    static TableSchema.Builder item()
    {
        return TableSchema.builder("item", ProductType.of("owner", AlgebraicType.U32, "kind", AlgebraicType.STRING))
            .index(IndexAlgorithm.BTREE, 0);
    }

    static byte[] u32(final int value)
    {
        return new BsatnWriter().writeU32(value).toByteArray();
    }

    static byte[] string(final String value)
    {
        return new BsatnWriter().writeString(value).toByteArray();
    }
}
