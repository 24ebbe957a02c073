package io.lightcone.core.moduledef;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ProductType;

/**
 * A procedure of a module: a non-transactional function that returns a value.
 *
 * @param id         its position in the module's procedure list: the id passed to {@code __call_procedure__}.
 * @param name       the canonical name.
 * @param sourceName the name in the module's source.
 * @param params     the parameter types, inlined.
 * @param returnType the return type, inlined.
 */
public record ProcedureDef(int id, String name, String sourceName, ProductType params, AlgebraicType returnType)
{
}
