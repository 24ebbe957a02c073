package io.lightcone.edge.subs;

import io.lightcone.core.query.QueryRegistry;
import org.agrona.DirectBuffer;

import java.util.List;

/**
 * The queries a client subscribed together under one query set id.
 *
 * @param owner      the client.
 * @param querySetId its id, chosen by the client.
 * @param handles    the shared plans, one per query, in request order.
 * @param tables     the returned table name of each query.
 * @param tableNames the same names as UTF-8 bytes, encoded once so fan-out copies them without allocating.
 */
public record QuerySet(
    Object owner, int querySetId, List<QueryRegistry.Handle> handles, List<String> tables,
    List<DirectBuffer> tableNames)
{
}
