package io.lightcone.core.query;

import io.lightcone.core.query.SqlAst.Op;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ProductValue;
import io.lightcone.core.sats.SpecialType;
import io.lightcone.core.sats.SumType;
import io.lightcone.core.sats.SumValue;

import java.util.List;

/**
 * A compiled, type-checked predicate over a tuple of rows (one decoded row per relation of the query).
 */
interface Predicate
{
    /** Always true. */
    Predicate TRUE = (tuple) -> true;

    /**
     * Evaluates the predicate.
     *
     * @param tuple the decoded rows, by relation position.
     * @return whether the tuple satisfies it.
     */
    boolean test(ProductValue[] tuple);

    /**
     * An operand: a column of a relation, or a constant.
     *
     * @param relation the relation position, or -1 for a constant.
     * @param column   the column, when a column.
     * @param constant the value, when a constant.
     */
    record Operand(int relation, int column, Object constant)
    {
        Object value(final ProductValue[] tuple)
        {
            return relation < 0 ? constant : tuple[relation].get(column);
        }
    }

    /**
     * A comparison of two operands of the same type. For an Option type (an extension), {@code none} compares
     * with nothing: the comparison is false, as with SQL NULL.
     *
     * @param op    the operator.
     * @param left  the left operand.
     * @param right the right operand.
     * @param type  the operands' type.
     */
    record Comparison(Op op, Operand left, Operand right, AlgebraicType type) implements Predicate
    {
        @Override
        public boolean test(final ProductValue[] tuple)
        {
            final Object a = left.value(tuple);
            final Object b = right.value(tuple);
            if (type instanceof SumType sum && sum.special() == SpecialType.OPTION &&
                (((SumValue)a).tag() != 0 || ((SumValue)b).tag() != 0))
            {
                return false;
            }
            final int c = SqlValues.compare(type, a, b);
            return switch (op)
            {
                case EQ -> c == 0;
                case NE -> c != 0;
                case LT -> c < 0;
                case GT -> c > 0;
                case LE -> c <= 0;
                case GE -> c >= 0;
            };
        }
    }

    /**
     * A Bool column used as a predicate.
     *
     * @param relation the relation.
     * @param column   the column.
     */
    record BoolColumn(int relation, int column) implements Predicate
    {
        @Override
        public boolean test(final ProductValue[] tuple)
        {
            return (Boolean)tuple[relation].get(column);
        }
    }

    /**
     * A constant.
     *
     * @param value the value.
     */
    record Constant(boolean value) implements Predicate
    {
        @Override
        public boolean test(final ProductValue[] tuple)
        {
            return value;
        }
    }

    /**
     * All of the terms.
     *
     * @param terms the terms.
     */
    record All(List<Predicate> terms) implements Predicate
    {
        @Override
        public boolean test(final ProductValue[] tuple)
        {
            for (final Predicate term : terms)
            {
                if (!term.test(tuple))
                {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Any of the terms.
     *
     * @param terms the terms.
     */
    record Any(List<Predicate> terms) implements Predicate
    {
        @Override
        public boolean test(final ProductValue[] tuple)
        {
            for (final Predicate term : terms)
            {
                if (term.test(tuple))
                {
                    return true;
                }
            }
            return false;
        }
    }
}
