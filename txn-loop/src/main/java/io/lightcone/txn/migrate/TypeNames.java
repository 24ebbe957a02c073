package io.lightcone.txn.migrate;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ArrayType;
import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductTypeElement;
import io.lightcone.core.sats.RefType;
import io.lightcone.core.sats.SumType;
import io.lightcone.core.sats.SumTypeVariant;

import java.util.Locale;

/**
 * Short readable type names for refusal messages: {@code u32}, {@code String}, {@code Array<u8>},
 * {@code Option<i64>}, {@code Identity}, {@code (x: f32, y: f32)}, {@code (Red | Green | Rgb: u32)}.
 */
final class TypeNames
{
    private TypeNames()
    {
    }

    static String of(final AlgebraicType type)
    {
        if (type instanceof PrimitiveType primitive)
        {
            return primitive == PrimitiveType.STRING ? "String" : primitive.name().toLowerCase(Locale.ROOT);
        }
        if (type instanceof ArrayType array)
        {
            return "Array<" + of(array.elementType()) + ">";
        }
        if (type instanceof RefType ref)
        {
            return "&" + ref.index();
        }
        if (type instanceof ProductType product)
        {
            return product(product);
        }
        return sum((SumType)type);
    }

    private static String product(final ProductType product)
    {
        switch (product.special())
        {
            case IDENTITY:
                return "Identity";
            case CONNECTION_ID:
                return "ConnectionId";
            case TIMESTAMP:
                return "Timestamp";
            case TIME_DURATION:
                return "TimeDuration";
            case UUID:
                return "Uuid";
            default:
                break;
        }
        final StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < product.elements().size(); i++)
        {
            final ProductTypeElement element = product.elements().get(i);
            sb.append(i == 0 ? "" : ", ").append(null == element.name() ? "" : element.name() + ": ")
                .append(of(element.type()));
        }
        return sb.append(')').toString();
    }

    private static String sum(final SumType sum)
    {
        switch (sum.special())
        {
            case OPTION:
                return "Option<" + of(sum.variants().get(0).type()) + ">";
            case RESULT:
                return "Result<" + of(sum.variants().get(0).type()) + ", " + of(sum.variants().get(1).type()) + ">";
            case SCHEDULE_AT:
                return "ScheduleAt";
            default:
                break;
        }
        final StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < sum.variants().size(); i++)
        {
            final SumTypeVariant variant = sum.variants().get(i);
            sb.append(i == 0 ? "" : " | ").append(null == variant.name() ? "_" : variant.name());
            if (!variant.isUnit())
            {
                sb.append(": ").append(of(variant.type()));
            }
        }
        return sb.append(')').toString();
    }
}
