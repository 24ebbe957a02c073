package io.lightcone.core.sats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Typed SATS-JSON of a type itself (the value of SpacetimeDB's {@code AlgebraicType} meta-type), as the HTTP API
 * writes it in {@code /sql} result schemas and in {@code /schema} (reference/spacetimedb-contracts.md §1.5, §3.2):
 * <pre>
 *   {"U32": []}                                        a primitive: its variant name, unit payload []
 *   {"Ref": 3}                                         a typespace reference
 *   {"Array": {"String": []}}                          an array: the element type directly
 *   {"Product": {"elements": [{"name": {"some": "id"}, "algebraic_type": {"U64": []}}, ...]}}
 *   {"Sum": {"variants": [{"name": {"none": []}, "algebraic_type": ...}, ...]}}
 * </pre>
 * Unit payloads are written {@code []} (what the reference server emits for SQL result schemas).
 */
public final class AlgebraicTypeJson
{
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final String[] VARIANTS = {"Ref", "Sum", "Product", "Array", "String", "Bool", "I8", "U8", "I16",
        "U16", "I32", "U32", "I64", "U64", "I128", "U128", "I256", "U256", "F32", "F64"};

    private AlgebraicTypeJson()
    {
    }

    /**
     * A type as JSON text.
     *
     * @param type the type; may contain references.
     * @return the JSON.
     */
    public static String toJson(final AlgebraicType type)
    {
        return render((generator) -> write(generator, type));
    }

    /**
     * A product type's payload as JSON text, {@code {"elements": [...]}} (a SQL result {@code schema}).
     *
     * @param product the product type.
     * @return the JSON.
     */
    public static String productJson(final ProductType product)
    {
        return render((generator) -> writeProduct(generator, product));
    }

    @FunctionalInterface
    private interface JsonWriting
    {
        void write(JsonGenerator generator) throws IOException;
    }

    private static String render(final JsonWriting writing)
    {
        final StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out))
        {
            writing.write(generator);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    /**
     * Writes a type.
     *
     * @param generator to write to.
     * @param type      the type; may contain references.
     * @throws IOException when the generator fails.
     */
    public static void write(final JsonGenerator generator, final AlgebraicType type) throws IOException
    {
        generator.writeStartObject();
        generator.writeFieldName(VARIANTS[type.kind().ordinal()]);
        if (type instanceof RefType ref)
        {
            generator.writeNumber(Integer.toUnsignedLong(ref.index()));
        }
        else if (type instanceof SumType sum)
        {
            generator.writeStartObject();
            generator.writeFieldName("variants");
            generator.writeStartArray();
            for (final SumTypeVariant variant : sum.variants())
            {
                writeElement(generator, variant.name(), variant.type());
            }
            generator.writeEndArray();
            generator.writeEndObject();
        }
        else if (type instanceof ProductType product)
        {
            writeProduct(generator, product);
        }
        else if (type instanceof ArrayType array)
        {
            write(generator, array.elementType());
        }
        else
        {
            writeUnit(generator);
        }
        generator.writeEndObject();
    }

    /**
     * Writes a product type's payload, {@code {"elements": [...]}} (a {@code ProductType} value, as in a reducer's
     * {@code params} or a SQL result {@code schema}).
     *
     * @param generator to write to.
     * @param product   the product type.
     * @throws IOException when the generator fails.
     */
    public static void writeProduct(final JsonGenerator generator, final ProductType product) throws IOException
    {
        generator.writeStartObject();
        generator.writeFieldName("elements");
        generator.writeStartArray();
        for (final ProductTypeElement element : product.elements())
        {
            writeElement(generator, element.name(), element.type());
        }
        generator.writeEndArray();
        generator.writeEndObject();
    }

    /**
     * Writes an {@code Option<String>} name: {@code {"some": "name"}} or {@code {"none": []}}.
     *
     * @param generator to write to.
     * @param name      the name or null.
     * @throws IOException when the generator fails.
     */
    public static void writeOptionalName(final JsonGenerator generator, final String name) throws IOException
    {
        generator.writeStartObject();
        if (null == name)
        {
            generator.writeFieldName("none");
            writeUnit(generator);
        }
        else
        {
            generator.writeStringField("some", name);
        }
        generator.writeEndObject();
    }

    /**
     * Writes the unit value, {@code []}.
     *
     * @param generator to write to.
     * @throws IOException when the generator fails.
     */
    public static void writeUnit(final JsonGenerator generator) throws IOException
    {
        generator.writeStartArray();
        generator.writeEndArray();
    }

    private static void writeElement(final JsonGenerator generator, final String name, final AlgebraicType type)
        throws IOException
    {
        generator.writeStartObject();
        generator.writeFieldName("name");
        writeOptionalName(generator, name);
        generator.writeFieldName("algebraic_type");
        write(generator, type);
        generator.writeEndObject();
    }
}
