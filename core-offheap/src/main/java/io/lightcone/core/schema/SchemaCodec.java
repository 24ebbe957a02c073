package io.lightcone.core.schema;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.ProductType;

import java.util.Map;

/**
 * Lightcone's own BSATN encoding of a {@link TableSchema}, used by snapshots (and later the commit log and the
 * wire). It is not a SpacetimeDB format.
 * <pre>
 *   tableId u32 | name String | rowType AlgebraicType | primaryKey Array&lt;u16&gt;
 *   | indexes Array&lt;{name String, accessor Option&lt;String&gt;, algorithm u8, columns Array&lt;u16&gt;,
 *                   unique bool}&gt;
 *   | sequences Array&lt;{name String, column u16, start i64, min i64, max i64, increment i64}&gt;
 *   | access u8 | event bool | system bool | defaults Array&lt;{column u16, value Bytes}&gt;
 *   | schedule Option&lt;{function String, column u16}&gt;
 * </pre>
 */
public final class SchemaCodec
{
    private SchemaCodec()
    {
    }

    /**
     * Writes a schema.
     *
     * @param writer where to write.
     * @param schema the schema.
     */
    public static void encode(final BsatnWriter writer, final TableSchema schema)
    {
        writer.writeU32(schema.tableId());
        writer.writeString(schema.name());
        Bsatn.encodeType(writer, schema.rowType());
        writeColumns(writer, schema.primaryKey());
        writer.writeU32(schema.indexes().size());
        for (final IndexSchema index : schema.indexes())
        {
            writer.writeString(index.name());
            if (null == index.accessorName())
            {
                writer.writeU8(1);
            }
            else
            {
                writer.writeU8(0).writeString(index.accessorName());
            }
            writer.writeU8(index.algorithm().ordinal());
            writeColumns(writer, index.columns());
            writer.writeBool(index.unique());
        }
        writer.writeU32(schema.sequences().size());
        for (final SequenceSchema sequence : schema.sequences())
        {
            writer.writeString(sequence.name());
            writer.writeU16(sequence.column());
            writer.writeU64(sequence.start());
            writer.writeU64(sequence.minValue());
            writer.writeU64(sequence.maxValue());
            writer.writeU64(sequence.increment());
        }
        writer.writeU8(schema.access().ordinal());
        writer.writeBool(schema.isEvent());
        writer.writeBool(schema.isSystem());
        writer.writeU32(schema.defaultValues().size());
        for (final Map.Entry<Integer, byte[]> e : schema.defaultValues().entrySet())
        {
            writer.writeU16(e.getKey());
            writer.writeByteArray(e.getValue());
        }
        if (null == schema.schedule())
        {
            writer.writeU8(1);
        }
        else
        {
            writer.writeU8(0).writeString(schema.schedule().functionName());
            writer.writeU16(schema.schedule().scheduleAtColumn());
        }
    }

    /**
     * Reads a schema and validates it.
     *
     * @param reader where to read.
     * @return the schema.
     * @throws BsatnDecodeException when the bytes are malformed or describe an invalid schema.
     */
    public static TableSchema decode(final BsatnReader reader)
    {
        final int tableId = reader.readI32();
        final String name = reader.readString();
        final AlgebraicType rowType = Bsatn.decodeType(reader);
        if (!(rowType instanceof ProductType product))
        {
            throw reader.error("table " + name + " row type is not a product: " + rowType.kind());
        }
        final TableSchema.Builder builder = TableSchema.builder(name, product).tableId(tableId);
        final int[] primaryKey = readColumns(reader);
        final int indexCount = reader.readLength(1, "indexes");
        for (int i = 0; i < indexCount; i++)
        {
            final String indexName = reader.readString();
            final String accessor = readOptionalString(reader);
            final int algorithm = reader.readU8();
            if (algorithm >= IndexAlgorithm.values().length)
            {
                throw reader.error("invalid index algorithm " + algorithm);
            }
            final int[] columns = readColumns(reader);
            final boolean unique = reader.readBool();
            builder.index(newIndex(reader, indexName, accessor, IndexAlgorithm.values()[algorithm], columns, unique));
        }
        final int sequenceCount = reader.readLength(1, "sequences");
        for (int i = 0; i < sequenceCount; i++)
        {
            final String sequenceName = reader.readString();
            final int column = reader.readU16();
            final long start = reader.readI64();
            final long min = reader.readI64();
            final long max = reader.readI64();
            final long increment = reader.readI64();
            try
            {
                builder.sequence(new SequenceSchema(sequenceName, column, start, min, max, increment));
            }
            catch (final IllegalArgumentException ex)
            {
                throw reader.error(ex.getMessage());
            }
        }
        final int access = reader.readU8();
        if (access >= TableAccess.values().length)
        {
            throw reader.error("invalid table access " + access);
        }
        builder.access(TableAccess.values()[access]);
        builder.event(reader.readBool());
        builder.system(reader.readBool());
        final int defaultCount = reader.readLength(1, "default values");
        for (int i = 0; i < defaultCount; i++)
        {
            final int column = reader.readU16();
            builder.defaultValue(column, reader.readByteArray());
        }
        final int scheduleTag = reader.readU8();
        if (scheduleTag == 0)
        {
            final String function = reader.readString();
            builder.schedule(function, reader.readU16());
        }
        else if (scheduleTag != 1)
        {
            throw reader.error("invalid option tag " + scheduleTag + " for the schedule");
        }
        if (primaryKey.length > 0)
        {
            builder.primaryKey(primaryKey);
        }
        try
        {
            return builder.build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw reader.error("invalid schema: " + ex.getMessage());
        }
    }

    private static IndexSchema newIndex(
        final BsatnReader reader,
        final String name,
        final String accessor,
        final IndexAlgorithm algorithm,
        final int[] columns,
        final boolean unique)
    {
        try
        {
            return new IndexSchema(name, accessor, algorithm, columns, unique);
        }
        catch (final IllegalArgumentException ex)
        {
            throw reader.error(ex.getMessage());
        }
    }

    private static String readOptionalString(final BsatnReader reader)
    {
        final int tag = reader.readU8();
        if (tag == 0)
        {
            return reader.readString();
        }
        if (tag != 1)
        {
            throw reader.error("invalid option tag " + tag);
        }
        return null;
    }

    private static void writeColumns(final BsatnWriter writer, final int[] columns)
    {
        writer.writeU32(columns.length);
        for (final int column : columns)
        {
            writer.writeU16(column);
        }
    }

    private static int[] readColumns(final BsatnReader reader)
    {
        final int count = reader.readLength(2, "columns");
        final int[] columns = new int[count];
        for (int i = 0; i < count; i++)
        {
            columns[i] = reader.readU16();
        }
        return columns;
    }
}
