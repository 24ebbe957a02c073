/**
 * SQL for Lightcone: the subscription / one-off query language and the ad-hoc {@code /sql} language of
 * reference/spacetimedb-contracts.md §5.
 * <p>
 * The tokenizer ({@code SqlLexer}) and recursive-descent parser ({@link io.lightcone.core.query.SqlParser}) are
 * hand-written: core-offheap takes no SQL library dependency. Errors are always
 * {@link io.lightcone.core.query.SqlException} with a message naming the problem and, for syntax, its character
 * position; input is limited to 50 000 UTF-8 bytes and 64 nested parentheses.
 * <p>
 * Pipeline: {@link io.lightcone.core.query.SqlParser} (text to {@link io.lightcone.core.query.SqlAst}) then
 * {@link io.lightcone.core.query.QueryPlanner} (names, types, literal coercion, restrictions, row-level security,
 * access paths) then {@link io.lightcone.core.query.QueryPlan} (full evaluation, ad-hoc execution, incremental
 * evaluation with the §5.3 delta rules). {@link io.lightcone.core.query.QueryRegistry} shares plans between
 * subscribers; {@link io.lightcone.core.query.SqlExecutor} runs ad-hoc statements including DML.
 * <p>
 * Extensions over the reference (documented, all opt-in where they change what is accepted in subscriptions):
 * <ul>
 *   <li>Option columns compare with literals of the payload type ({@code none} matches no comparison, like SQL
 *   NULL); plain enums compare with a string naming the variant; TimeDuration compares with integer
 *   microseconds.</li>
 *   <li>{@link io.lightcone.core.query.QueryPlanner.Options#allowUnindexedJoins()}: subscription joins on columns
 *   without an index (hash join over a scan); ad-hoc joins always allow it.</li>
 *   <li>Ad-hoc SELECT may join any number of tables; comparisons between two columns of the same type.</li>
 * </ul>
 * Restrictions kept from the reference: no NOT, NULL, IS, IN, LIKE, subqueries, OFFSET, GROUP BY, outer joins; JOIN ON
 * is one equality of two qualified columns; subscriptions return one table's rows and join at most two tables.
 * Floats compare by {@link java.lang.Double#compare} (so {@code -0.0 <> 0.0}), consistent with index order.
 */
package io.lightcone.core.query;
