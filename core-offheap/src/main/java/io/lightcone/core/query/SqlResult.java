package io.lightcone.core.query;

import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductValue;

import java.util.List;

/**
 * The result of one ad-hoc SQL statement: the result schema and rows (empty for DML and SET) and the statistics
 * of the HTTP {@code /sql} response.
 *
 * @param schema       the row type of {@code rows} (with column names), {@link ProductType#UNIT} for DML.
 * @param rows         the result rows.
 * @param rowsInserted rows inserted.
 * @param rowsDeleted  rows deleted.
 * @param rowsUpdated  rows updated.
 */
public record SqlResult(ProductType schema, List<ProductValue> rows, long rowsInserted, long rowsDeleted,
    long rowsUpdated)
{
    /**
     * A query result.
     *
     * @param schema the row type.
     * @param rows   the rows.
     * @return the result.
     */
    public static SqlResult rows(final ProductType schema, final List<ProductValue> rows)
    {
        return new SqlResult(schema, List.copyOf(rows), 0, 0, 0);
    }
}
