package io.lightcone.core.moduledef;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ProductType;

/**
 * A view of a module: a read-only function whose rows clients can subscribe to like a table.
 *
 * @param index      its index among the module's views of the same kind (the id passed to {@code __call_view__}
 *                   or {@code __call_view_anon__}).
 * @param name       the canonical name.
 * @param sourceName the name in the module's source.
 * @param isPublic   whether clients may read it.
 * @param anonymous  whether it ignores the caller (called through {@code __call_view_anon__}).
 * @param params     the parameter types, inlined.
 * @param returnType the return type, inlined.
 */
public record ViewDef(
    int index,
    String name,
    String sourceName,
    boolean isPublic,
    boolean anonymous,
    ProductType params,
    AlgebraicType returnType)
{
}
