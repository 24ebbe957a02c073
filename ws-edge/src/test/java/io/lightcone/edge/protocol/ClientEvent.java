package io.lightcone.edge.protocol;

import io.lightcone.edge.protocol.ServerMessage.Blob;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Test model of a decoded client message, and a handler that records them.
 */
sealed interface ClientEvent
{
    record Subscribe(int requestId, int querySetId, List<String> queries) implements ClientEvent
    {
    }

    record Unsubscribe(int requestId, int querySetId, boolean sendDroppedRows) implements ClientEvent
    {
    }

    record OneOffQuery(int requestId, String query) implements ClientEvent
    {
    }

    record Call(boolean procedure, int requestId, String name, Blob args) implements ClientEvent
    {
    }

    /** Encodes the event with the client encoder. */
    static void encode(final ClientEvent event, final ClientMessageEncoder encoder)
    {
        if (event instanceof Subscribe)
        {
            final Subscribe s = (Subscribe)event;
            encoder.subscribe(s.requestId(), s.querySetId(), s.queries());
        }
        else if (event instanceof Unsubscribe)
        {
            final Unsubscribe u = (Unsubscribe)event;
            encoder.unsubscribe(u.requestId(), u.querySetId(), u.sendDroppedRows());
        }
        else if (event instanceof OneOffQuery)
        {
            final OneOffQuery q = (OneOffQuery)event;
            encoder.oneOffQuery(q.requestId(), q.query());
        }
        else
        {
            final Call c = (Call)event;
            final UnsafeBuffer args = new UnsafeBuffer(c.args().bytes());
            if (c.procedure())
            {
                encoder.callProcedure(c.requestId(), c.name(), args, 0, c.args().bytes().length);
            }
            else
            {
                encoder.callReducer(c.requestId(), c.name(), args, 0, c.args().bytes().length);
            }
        }
    }

    class Recorder implements ClientMessageHandler
    {
        final List<ClientEvent> events = new ArrayList<>();

        @Override
        public void onSubscribe(final ClientMessageDecoder m)
        {
            final List<String> queries = new ArrayList<>();
            for (int i = 0; i < m.queryCount(); i++)
            {
                queries.add(m.queryString(i));
            }
            events.add(new Subscribe(m.requestId(), m.querySetId(), queries));
        }

        @Override
        public void onUnsubscribe(final ClientMessageDecoder m)
        {
            events.add(new Unsubscribe(m.requestId(), m.querySetId(), m.sendDroppedRows()));
        }

        @Override
        public void onOneOffQuery(final ClientMessageDecoder m)
        {
            events.add(new OneOffQuery(m.requestId(), m.queryString(0)));
        }

        @Override
        public void onCallReducer(final ClientMessageDecoder m)
        {
            events.add(new Call(false, m.requestId(), m.functionName(), new Blob(m.argsToArray())));
        }

        @Override
        public void onCallProcedure(final ClientMessageDecoder m)
        {
            events.add(new Call(true, m.requestId(), m.functionName(), new Blob(m.argsToArray())));
        }
    }
}
