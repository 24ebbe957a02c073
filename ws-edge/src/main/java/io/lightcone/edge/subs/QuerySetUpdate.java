package io.lightcone.edge.subs;

import java.util.List;

/**
 * The changes of one client query set in one transaction.
 *
 * @param querySetId the client's query set.
 * @param tables     one entry per query whose result changed.
 */
public record QuerySetUpdate(int querySetId, List<TableRows> tables)
{
}
