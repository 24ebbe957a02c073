package io.lightcone.cli.generate;

import io.lightcone.core.moduledef.ModuleDef;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ArrayType;
import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductTypeElement;
import io.lightcone.core.sats.RefType;
import io.lightcone.core.sats.SpecialType;
import io.lightcone.core.sats.SumType;
import io.lightcone.core.sats.SumTypeVariant;
import io.lightcone.core.sats.Typespace;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a module's SATS types into {@link TypeUse}s, naming what the module named.
 * <p>
 * A module's {@link ModuleDef} keeps the typespace (with type references and canonical names) and the named types,
 * but its tables, reducers, procedures and views carry their types with every reference inlined. References are
 * recovered by structure: the inlined form of every named type is looked up, so a column whose type equals the
 * inlined {@code Vec2} becomes a {@link TypeUse.Ref} to {@code Vec2}. Two named types with the same structure are
 * indistinguishable; the first in name order is used (their TypeScript types are identical anyway).
 * <p>
 * Named types are emitted when their definition is a product or a sum that is not a special type, their name is
 * not taken by an earlier named type, and (as SpacetimeDB does) their name is not the PascalCase name of a reducer.
 * Other named types are used structurally.
 */
public final class TypeUses
{
    /**
     * A named type that the bindings define.
     *
     * @param name    its PascalCase name.
     * @param typeRef its index in the typespace.
     * @param type    its definition (a product or a sum), references kept.
     */
    public record NamedType(String name, int typeRef, AlgebraicType type)
    {
    }

    private final Typespace typespace;
    private final List<NamedType> namedTypes = new ArrayList<>();
    private final Map<Integer, String> names = new HashMap<>();
    private final Map<AlgebraicType, Integer> byStructure = new HashMap<>();

    /**
     * Names the module's types.
     *
     * @param def           the module definition.
     * @param reservedNames type names not to define (SpacetimeDB skips types named like a reducer).
     */
    public TypeUses(final ModuleDef def, final Collection<String> reservedNames)
    {
        this.typespace = def.typespace();
        final List<ModuleDef.NamedType> sorted = new ArrayList<>(def.namedTypes());
        sorted.sort(Comparator.comparing((ModuleDef.NamedType t) -> String.join("::", t.scope()))
            .thenComparing(ModuleDef.NamedType::name).thenComparingInt(ModuleDef.NamedType::typeRef));
        final Set<String> taken = new HashSet<>(reservedNames);
        for (final ModuleDef.NamedType named : sorted)
        {
            final String name = TypeScriptNames.typeName(named.scope(), named.name());
            final AlgebraicType type = typespace.get(named.typeRef());
            if (!definable(type) || names.containsKey(named.typeRef()) || !taken.add(name))
            {
                continue;
            }
            names.put(named.typeRef(), name);
            namedTypes.add(new NamedType(name, named.typeRef(), type));
        }
        for (final NamedType named : namedTypes)
        {
            try
            {
                byStructure.putIfAbsent(typespace.inline(named.type()), named.typeRef());
            }
            catch (final IllegalArgumentException recursive)
            {
                // A recursive type has no inlined form: it only occurs by reference.
            }
        }
        namedTypes.sort(Comparator.comparing(NamedType::name));
    }

    private static boolean definable(final AlgebraicType type)
    {
        return (type instanceof ProductType product && product.special() == SpecialType.NONE &&
            !product.isUnit()) || (type instanceof SumType sum && sum.special() == SpecialType.NONE);
    }

    /**
     * @return the named types the bindings define, in name order.
     */
    public List<NamedType> namedTypes()
    {
        return namedTypes;
    }

    /**
     * How a type is used: references to named types by name, other references resolved, inlined products and sums
     * that equal a named type by name.
     *
     * @param type the type (inlined or with references).
     * @return the use.
     * @throws IllegalArgumentException when a reference is out of range or an unnamed type is recursive.
     */
    public TypeUse use(final AlgebraicType type)
    {
        return use(type, new HashSet<>());
    }

    /**
     * The fields of a named type's definition (a product's fields or a sum's variants), each as a use.
     *
     * @param named the named type.
     * @return its fields, canonical names kept.
     */
    public List<TypeUse.Field> fields(final NamedType named)
    {
        return named.type() instanceof ProductType product ? fields(product, new HashSet<>()) :
            variants((SumType)named.type(), new HashSet<>());
    }

    /**
     * The fields of a product (a row or a parameter list), each as a use.
     *
     * @param product the product.
     * @return its fields.
     */
    public List<TypeUse.Field> fields(final ProductType product)
    {
        return fields(product, new HashSet<>());
    }

    private TypeUse use(final AlgebraicType type, final Set<Integer> resolving)
    {
        if (type instanceof RefType ref)
        {
            final String name = names.get(ref.index());
            if (null != name)
            {
                return new TypeUse.Ref(ref.index(), name);
            }
            if (!resolving.add(ref.index()))
            {
                throw new IllegalArgumentException("type &" + ref.index() + " is recursive and has no name");
            }
            final TypeUse resolved = use(typespace.get(ref.index()), resolving);
            resolving.remove(ref.index());
            return resolved;
        }
        if (type instanceof PrimitiveType primitive)
        {
            return new TypeUse.Primitive(primitive);
        }
        if (type instanceof ArrayType array)
        {
            return new TypeUse.Array(use(array.elementType(), resolving));
        }
        if (type instanceof ProductType product)
        {
            return product(product, resolving);
        }
        return sum((SumType)type, resolving);
    }

    private TypeUse product(final ProductType product, final Set<Integer> resolving)
    {
        switch (product.special())
        {
            case IDENTITY:
                return new TypeUse.Special(TypeUse.SpecialKind.IDENTITY);
            case CONNECTION_ID:
                return new TypeUse.Special(TypeUse.SpecialKind.CONNECTION_ID);
            case TIMESTAMP:
                return new TypeUse.Special(TypeUse.SpecialKind.TIMESTAMP);
            case TIME_DURATION:
                return new TypeUse.Special(TypeUse.SpecialKind.TIME_DURATION);
            case UUID:
                return new TypeUse.Special(TypeUse.SpecialKind.UUID);
            default:
                break;
        }
        if (product.isUnit())
        {
            return new TypeUse.Unit();
        }
        final Integer ref = byStructure.get(product);
        if (null != ref)
        {
            return new TypeUse.Ref(ref, names.get(ref));
        }
        return new TypeUse.AnonymousProduct(fields(product, resolving));
    }

    private TypeUse sum(final SumType sum, final Set<Integer> resolving)
    {
        switch (sum.special())
        {
            case OPTION:
                return new TypeUse.Option(use(sum.variants().get(0).type(), resolving));
            case RESULT:
                return new TypeUse.Result(use(sum.variants().get(0).type(), resolving),
                    use(sum.variants().get(1).type(), resolving));
            case SCHEDULE_AT:
                return new TypeUse.Special(TypeUse.SpecialKind.SCHEDULE_AT);
            default:
                break;
        }
        final Integer ref = byStructure.get(sum);
        if (null != ref)
        {
            return new TypeUse.Ref(ref, names.get(ref));
        }
        return new TypeUse.AnonymousSum(variants(sum, resolving));
    }

    private List<TypeUse.Field> fields(final ProductType product, final Set<Integer> resolving)
    {
        final List<TypeUse.Field> fields = new ArrayList<>(product.size());
        for (final ProductTypeElement element : product.elements())
        {
            fields.add(new TypeUse.Field(element.name(), use(element.type(), resolving)));
        }
        return fields;
    }

    private List<TypeUse.Field> variants(final SumType sum, final Set<Integer> resolving)
    {
        final List<TypeUse.Field> variants = new ArrayList<>(sum.size());
        for (final SumTypeVariant variant : sum.variants())
        {
            variants.add(new TypeUse.Field(variant.name(), use(variant.type(), resolving)));
        }
        return variants;
    }
}
