package io.lightcone.core.moduledef;

import io.lightcone.core.sats.ProductType;

/**
 * A reducer of a module.
 *
 * @param id             its position in the module's reducer list: the id passed to {@code __call_reducer__}.
 * @param name           the canonical name clients call it by.
 * @param sourceName     the name in the module's source.
 * @param params         the parameter types, with every type reference inlined.
 * @param lifecycle      the lifecycle it serves, or null for an ordinary reducer.
 * @param clientCallable whether clients may call it (V10 visibility ClientCallable; lifecycle reducers never).
 */
public record ReducerDef(
    int id, String name, String sourceName, ProductType params, Lifecycle lifecycle, boolean clientCallable)
{
}
