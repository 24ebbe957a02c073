package io.lightcone.cli.generate;

import io.lightcone.core.sats.PrimitiveType;

import java.util.List;

/**
 * How a type is used where bindings mention it (a column, a parameter, a field, a variant payload): SpacetimeDB's
 * {@code AlgebraicTypeUse}. Special types (Identity, ConnectionId, Timestamp, TimeDuration, Uuid, ScheduleAt,
 * Option, Result) are recognised, named products and sums are {@link Ref}s, and products or sums without a name
 * are {@link AnonymousProduct} / {@link AnonymousSum} (SpacetimeDB refuses those for codegen; Lightcone writes them
 * inline).
 */
public sealed interface TypeUse
{
    /** The empty product {@code ()}. */
    record Unit() implements TypeUse
    {
    }

    /**
     * A primitive, {@code String} included.
     *
     * @param type the primitive.
     */
    record Primitive(PrimitiveType type) implements TypeUse
    {
    }

    /**
     * An array.
     *
     * @param element the element type.
     */
    record Array(TypeUse element) implements TypeUse
    {
    }

    /**
     * {@code Option<T>}: the sum {@code some(T) | none}.
     *
     * @param value the type of {@code some}.
     */
    record Option(TypeUse value) implements TypeUse
    {
    }

    /**
     * {@code Result<T, E>}: the sum {@code ok(T) | err(E)}.
     *
     * @param ok  the ok type.
     * @param err the error type.
     */
    record Result(TypeUse ok, TypeUse err) implements TypeUse
    {
    }

    /**
     * One of the special product types and ScheduleAt.
     *
     * @param kind which one.
     */
    record Special(SpecialKind kind) implements TypeUse
    {
    }

    /**
     * A named type of the module.
     *
     * @param typeRef its index in the typespace.
     * @param name    its name in the bindings (PascalCase).
     */
    record Ref(int typeRef, String name) implements TypeUse
    {
    }

    /**
     * A product without a name.
     *
     * @param fields its fields.
     */
    record AnonymousProduct(List<Field> fields) implements TypeUse
    {
        /**
         * Copies the fields.
         *
         * @param fields the fields.
         */
        public AnonymousProduct
        {
            fields = List.copyOf(fields);
        }
    }

    /**
     * A sum without a name.
     *
     * @param variants its variants.
     */
    record AnonymousSum(List<Field> variants) implements TypeUse
    {
        /**
         * Copies the variants.
         *
         * @param variants the variants.
         */
        public AnonymousSum
        {
            variants = List.copyOf(variants);
        }
    }

    /**
     * A field of a product or a variant of a sum, with its canonical name.
     *
     * @param name the name, or null for an unnamed element.
     * @param type its type.
     */
    record Field(String name, TypeUse type)
    {
    }

    /** The special types that have a builder of their own in the SDK. */
    enum SpecialKind
    {
        /** {@code Identity}. */
        IDENTITY,
        /** {@code ConnectionId}. */
        CONNECTION_ID,
        /** {@code Timestamp}. */
        TIMESTAMP,
        /** {@code TimeDuration}. */
        TIME_DURATION,
        /** {@code Uuid}. */
        UUID,
        /** {@code ScheduleAt}. */
        SCHEDULE_AT
    }

    /**
     * Whether a named type occurs in this use: SpacetimeDB then writes the field as a getter, so that a type
     * defined later in {@code types.ts} is read after it is initialised.
     *
     * @return true when a {@link Ref} occurs.
     */
    default boolean containsRef()
    {
        if (this instanceof Ref)
        {
            return true;
        }
        if (this instanceof Array array)
        {
            return array.element().containsRef();
        }
        if (this instanceof Option option)
        {
            return option.value().containsRef();
        }
        if (this instanceof Result result)
        {
            return result.ok().containsRef() || result.err().containsRef();
        }
        if (this instanceof AnonymousProduct product)
        {
            return product.fields().stream().anyMatch((f) -> f.type().containsRef());
        }
        if (this instanceof AnonymousSum sum)
        {
            return sum.variants().stream().anyMatch((f) -> f.type().containsRef());
        }
        return false;
    }
}
