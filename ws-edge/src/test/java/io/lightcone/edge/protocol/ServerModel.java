package io.lightcone.edge.protocol;

import io.lightcone.edge.protocol.ServerMessage.Blob;
import io.lightcone.edge.protocol.ServerMessage.EventRows;
import io.lightcone.edge.protocol.ServerMessage.InitialConnection;
import io.lightcone.edge.protocol.ServerMessage.OneOffQueryResult;
import io.lightcone.edge.protocol.ServerMessage.PersistentRows;
import io.lightcone.edge.protocol.ServerMessage.ProcedureResult;
import io.lightcone.edge.protocol.ServerMessage.QueryRows;
import io.lightcone.edge.protocol.ServerMessage.QuerySetUpdate;
import io.lightcone.edge.protocol.ServerMessage.ReducerErr;
import io.lightcone.edge.protocol.ServerMessage.ReducerInternalError;
import io.lightcone.edge.protocol.ServerMessage.ReducerOk;
import io.lightcone.edge.protocol.ServerMessage.ReducerOkEmpty;
import io.lightcone.edge.protocol.ServerMessage.ReducerResult;
import io.lightcone.edge.protocol.ServerMessage.RowList;
import io.lightcone.edge.protocol.ServerMessage.SingleTableRows;
import io.lightcone.edge.protocol.ServerMessage.SubscribeApplied;
import io.lightcone.edge.protocol.ServerMessage.SubscriptionError;
import io.lightcone.edge.protocol.ServerMessage.TableUpdate;
import io.lightcone.edge.protocol.ServerMessage.TableUpdateRows;
import io.lightcone.edge.protocol.ServerMessage.TransactionUpdate;
import io.lightcone.edge.protocol.ServerMessage.UnsubscribeApplied;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test helpers: encode a {@link ServerMessage} model with the streaming encoder, and random models.
 */
final class ServerModel
{
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz_0123456789 éλ€😀";

    private ServerModel()
    {
    }

    static void encode(final ServerMessage message, final ServerMessageEncoder enc)
    {
        if (message instanceof InitialConnection)
        {
            final InitialConnection m = (InitialConnection)message;
            enc.initialConnection(m.identity().bytes(), m.connectionId().bytes(), m.token());
        }
        else if (message instanceof SubscribeApplied)
        {
            final SubscribeApplied m = (SubscribeApplied)message;
            enc.beginSubscribeApplied(m.requestId(), m.querySetId());
            queryRows(m.rows(), enc);
        }
        else if (message instanceof UnsubscribeApplied)
        {
            final UnsubscribeApplied m = (UnsubscribeApplied)message;
            if (m.rows() == null)
            {
                enc.unsubscribeApplied(m.requestId(), m.querySetId());
            }
            else
            {
                enc.beginUnsubscribeAppliedWithRows(m.requestId(), m.querySetId());
                queryRows(m.rows(), enc);
            }
        }
        else if (message instanceof SubscriptionError)
        {
            final SubscriptionError m = (SubscriptionError)message;
            enc.subscriptionError(m.requestId() != null, m.requestId() == null ? 0 : m.requestId(),
                m.querySetId(), m.error());
        }
        else if (message instanceof TransactionUpdate)
        {
            enc.beginTransactionUpdate();
            querySets((TransactionUpdate)message, enc);
        }
        else if (message instanceof OneOffQueryResult)
        {
            final OneOffQueryResult m = (OneOffQueryResult)message;
            if (m.rows() != null)
            {
                enc.beginOneOffQueryOk(m.requestId());
                queryRows(m.rows(), enc);
            }
            else
            {
                enc.oneOffQueryError(m.requestId(), m.error());
            }
        }
        else if (message instanceof ReducerResult)
        {
            reducerResult((ReducerResult)message, enc);
        }
        else
        {
            final ProcedureResult m = (ProcedureResult)message;
            if (m.returned() != null)
            {
                final byte[] value = m.returned().bytes();
                enc.procedureResultReturned(m.requestId(), m.timestampMicros(), m.durationMicros(),
                    new UnsafeBuffer(value), 0, value.length);
            }
            else
            {
                enc.procedureResultInternalError(m.requestId(), m.timestampMicros(), m.durationMicros(),
                    m.internalError());
            }
        }
    }

    private static void reducerResult(final ReducerResult m, final ServerMessageEncoder enc)
    {
        if (m.outcome() instanceof ReducerOk)
        {
            final ReducerOk ok = (ReducerOk)m.outcome();
            final byte[] ret = ok.retValue().bytes();
            enc.beginReducerResultOk(m.requestId(), m.timestampMicros(), new UnsafeBuffer(ret), 0, ret.length);
            querySets(ok.transactionUpdate(), enc);
        }
        else if (m.outcome() instanceof ReducerOkEmpty)
        {
            enc.reducerResultOkEmpty(m.requestId(), m.timestampMicros());
        }
        else if (m.outcome() instanceof ReducerErr)
        {
            enc.reducerResultErr(m.requestId(), m.timestampMicros(), ((ReducerErr)m.outcome()).message());
        }
        else
        {
            enc.reducerResultInternalError(m.requestId(), m.timestampMicros(),
                ((ReducerInternalError)m.outcome()).message());
        }
    }

    private static void queryRows(final QueryRows rows, final ServerMessageEncoder enc)
    {
        for (final SingleTableRows table : rows.tables())
        {
            enc.beginTable(table.table());
            for (final Blob row : table.rows().rows())
            {
                enc.row(new UnsafeBuffer(row.bytes()), 0, row.bytes().length);
            }
            enc.endTable();
        }
        enc.endQueryRows();
    }

    private static void querySets(final TransactionUpdate update, final ServerMessageEncoder enc)
    {
        for (final QuerySetUpdate set : update.querySets())
        {
            enc.beginQuerySet(set.querySetId());
            for (final TableUpdate table : set.tables())
            {
                enc.beginTableUpdate(table.tableName());
                for (final TableUpdateRows rows : table.rows())
                {
                    if (rows instanceof PersistentRows)
                    {
                        final PersistentRows p = (PersistentRows)rows;
                        enc.beginPersistentRows();
                        // interleave deletes and inserts: the encoder must still write inserts first
                        final int n = Math.max(p.inserts().rows().size(), p.deletes().rows().size());
                        for (int i = 0; i < n; i++)
                        {
                            if (i < p.deletes().rows().size())
                            {
                                final byte[] row = p.deletes().rows().get(i).bytes();
                                enc.delete(new UnsafeBuffer(row), 0, row.length);
                            }
                            if (i < p.inserts().rows().size())
                            {
                                final byte[] row = p.inserts().rows().get(i).bytes();
                                enc.insert(new UnsafeBuffer(row), 0, row.length);
                            }
                        }
                        enc.endPersistentRows();
                    }
                    else
                    {
                        enc.beginEventRows();
                        for (final Blob row : ((EventRows)rows).events().rows())
                        {
                            enc.row(new UnsafeBuffer(row.bytes()), 0, row.bytes().length);
                        }
                        enc.endEventRows();
                    }
                }
                enc.endTableUpdate();
            }
            enc.endQuerySet();
        }
        enc.endTransactionUpdate();
    }

    static String randomString(final Random random, final int maxLength)
    {
        final int length = random.nextInt(maxLength + 1);
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            sb.appendCodePoint(ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0,
                random.nextInt(ALPHABET.codePointCount(0, ALPHABET.length())))));
        }
        return sb.toString();
    }

    static Blob randomBytes(final Random random, final int maxLength)
    {
        final byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        return new Blob(bytes);
    }

    static RowList randomRows(final Random random)
    {
        final int count = random.nextInt(6);
        final List<Blob> rows = new ArrayList<>();
        final boolean fixed = random.nextBoolean();
        final int size = random.nextInt(12);
        for (int i = 0; i < count; i++)
        {
            final byte[] row = new byte[fixed ? size : random.nextInt(12)];
            random.nextBytes(row);
            rows.add(new Blob(row));
        }
        return RowList.of(rows);
    }

    static QueryRows randomQueryRows(final Random random)
    {
        final List<SingleTableRows> tables = new ArrayList<>();
        final int count = random.nextInt(4);
        for (int i = 0; i < count; i++)
        {
            tables.add(new SingleTableRows(randomString(random, 10), randomRows(random)));
        }
        return new QueryRows(tables);
    }

    static TransactionUpdate randomTransactionUpdate(final Random random)
    {
        final List<QuerySetUpdate> sets = new ArrayList<>();
        final int setCount = random.nextInt(3);
        for (int s = 0; s < setCount; s++)
        {
            final List<TableUpdate> tables = new ArrayList<>();
            final int tableCount = random.nextInt(3);
            for (int t = 0; t < tableCount; t++)
            {
                final List<TableUpdateRows> rows = new ArrayList<>();
                final int rowsCount = random.nextInt(3);
                for (int r = 0; r < rowsCount; r++)
                {
                    rows.add(random.nextInt(4) == 0 ? new EventRows(randomRows(random)) :
                        new PersistentRows(randomRows(random), randomRows(random)));
                }
                tables.add(new TableUpdate(randomString(random, 8), rows));
            }
            sets.add(new QuerySetUpdate(random.nextInt(), tables));
        }
        return new TransactionUpdate(sets);
    }

    static ServerMessage random(final Random random)
    {
        switch (random.nextInt(8))
        {
            case 0:
                return new InitialConnection(new Blob(fill(random, 32)), new Blob(fill(random, 16)),
                    randomString(random, 40));
            case 1:
                return new SubscribeApplied(random.nextInt(), random.nextInt(), randomQueryRows(random));
            case 2:
                return new UnsubscribeApplied(random.nextInt(), random.nextInt(),
                    random.nextBoolean() ? randomQueryRows(random) : null);
            case 3:
                return new SubscriptionError(random.nextBoolean() ? Integer.valueOf(random.nextInt()) : null,
                    random.nextInt(), randomString(random, 30));
            case 4:
                return randomTransactionUpdate(random);
            case 5:
                return random.nextBoolean() ?
                    new OneOffQueryResult(random.nextInt(), randomQueryRows(random), null) :
                    new OneOffQueryResult(random.nextInt(), null, randomString(random, 30));
            case 6:
                final ServerMessage.ReducerOutcome outcome;
                switch (random.nextInt(4))
                {
                    case 0:
                        outcome = new ReducerOk(randomBytes(random, 8), randomTransactionUpdate(random));
                        break;
                    case 1:
                        outcome = new ReducerOkEmpty();
                        break;
                    case 2:
                        outcome = new ReducerErr(randomString(random, 30));
                        break;
                    default:
                        outcome = new ReducerInternalError(randomString(random, 30));
                        break;
                }
                return new ReducerResult(random.nextInt(), random.nextLong(), outcome);
            default:
                return random.nextBoolean() ?
                    new ProcedureResult(randomBytes(random, 16), null, random.nextLong(), random.nextLong(),
                        random.nextInt()) :
                    new ProcedureResult(null, randomString(random, 30), random.nextLong(), random.nextLong(),
                        random.nextInt());
        }
    }

    static byte[] fill(final Random random, final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
