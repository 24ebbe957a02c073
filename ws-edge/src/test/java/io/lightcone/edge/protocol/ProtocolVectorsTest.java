package io.lightcone.edge.protocol;

import io.lightcone.edge.protocol.ServerMessage.Blob;
import io.lightcone.edge.protocol.ServerMessage.InitialConnection;
import io.lightcone.edge.protocol.ServerMessage.QueryRows;
import io.lightcone.edge.protocol.ServerMessage.ReducerOk;
import io.lightcone.edge.protocol.ServerMessage.ReducerResult;
import io.lightcone.edge.protocol.ServerMessage.RowList;
import io.lightcone.edge.protocol.ServerMessage.SingleTableRows;
import io.lightcone.edge.protocol.ServerMessage.SubscribeApplied;
import io.lightcone.edge.protocol.ServerMessage.TransactionUpdate;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The byte examples of the contracts, section 2.7, in both directions.
 */
class ProtocolVectorsTest
{
    private static final String INITIAL_CONNECTION =
        "00 | 00000000000000000000000000000000000000000000000000000000000000 c2 | 01 000000000000000000000000000000" +
        " | 03 00 00 00 6a 77 74";
    private static final String SUBSCRIBE_APPLIED =
        "01 | 01 00 00 00 | 00 00 00 00 | 01 00 00 00 | 01 00 00 00 74 | 00 04 00 | 04 00 00 00 07 00 00 00";
    private static final String REDUCER_RESULT =
        "06 | 03 00 00 00 | 01 00 00 00 00 00 00 00 | 00 | 00 00 00 00 | 00 00 00 00";
    private static final String CLIENT_SUBSCRIBE =
        "00 | 01 00 00 00 | 00 00 00 00 | 01 00 00 00 | 0f 00 00 00 53454c454354202a2046524f4d2074";
    private static final String CLIENT_UNSUBSCRIBE = "01 | 02 00 00 00 | 00 00 00 00 | 01";
    private static final String CLIENT_CALL_REDUCER =
        "03 | 03 00 00 00 | 00 | 03 00 00 00 61 64 64 | 04 00 00 00 05 00 00 00";

    private final ServerMessageEncoder enc = new ServerMessageEncoder();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    private final ServerMessageDecoder serverDecoder = new ServerMessageDecoder();

    private byte[] written()
    {
        return Hex.copy(buffer, 0, enc.position());
    }

    private static byte[] identity()
    {
        final byte[] identity = new byte[32];
        identity[31] = (byte)0xc2;
        return identity;
    }

    private static byte[] connectionId()
    {
        final byte[] id = new byte[16];
        id[0] = 1;
        return id;
    }

    @Test
    void initialConnectionEncodes()
    {
        enc.wrap(buffer, 0).initialConnection(identity(), connectionId(), "jwt");
        assertEquals(Hex.string(Hex.bytes(INITIAL_CONNECTION)), Hex.string(written()));
    }

    @Test
    void initialConnectionDecodes()
    {
        final byte[] bytes = Hex.bytes(INITIAL_CONNECTION);
        assertEquals(new InitialConnection(new Blob(identity()), new Blob(connectionId()), "jwt"),
            serverDecoder.decode(new UnsafeBuffer(bytes), 0, bytes.length));
    }

    @Test
    void subscribeAppliedFixedSizeEncodes()
    {
        final UnsafeBuffer row = new UnsafeBuffer(Hex.bytes("07 00 00 00"));
        enc.wrap(buffer, 0).beginSubscribeApplied(1, 0).beginTable("t").row(row, 0, 4).endTable().endQueryRows();
        assertEquals(Hex.string(Hex.bytes(SUBSCRIBE_APPLIED)), Hex.string(written()));
    }

    @Test
    void subscribeAppliedFixedSizeDecodes()
    {
        final byte[] bytes = Hex.bytes(SUBSCRIBE_APPLIED);
        final SubscribeApplied expected = new SubscribeApplied(1, 0, new QueryRows(List.of(new SingleTableRows("t",
            new RowList(4, List.of(new Blob(Hex.bytes("07 00 00 00"))))))));
        assertEquals(expected, serverDecoder.decode(new UnsafeBuffer(bytes), 0, bytes.length));
    }

    @Test
    void reducerResultOkWithEmptyTransactionUpdateEncodes()
    {
        enc.wrap(buffer, 0).beginReducerResultOk(3, 1L, new UnsafeBuffer(new byte[0]), 0, 0).endTransactionUpdate();
        assertEquals(Hex.string(Hex.bytes(REDUCER_RESULT)), Hex.string(written()));
    }

    @Test
    void reducerResultOkWithEmptyTransactionUpdateDecodes()
    {
        final byte[] bytes = Hex.bytes(REDUCER_RESULT);
        assertEquals(new ReducerResult(3, 1L, new ReducerOk(new Blob(new byte[0]), new TransactionUpdate(List.of()))),
            serverDecoder.decode(new UnsafeBuffer(bytes), 0, bytes.length));
    }

    @Test
    void serverFrameIsPrefixedWithTagZero()
    {
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer();
        final int[] length = new int[1];
        try (ServerFrameWriter writer = new ServerFrameWriter(ProtocolVersion.V2, Compression.GZIP,
            (b, o, l) ->
            {
                frame.putBytes(0, b, o, l);
                length[0] = l;
            }))
        {
            writer.begin().initialConnection(identity(), connectionId(), "jwt");
            writer.commit();
        }
        assertEquals("00 " + Hex.string(Hex.bytes(INITIAL_CONNECTION)), Hex.string(Hex.copy(frame, 0, length[0])));
    }

    @Test
    void clientSubscribeBothWays()
    {
        assertClient(CLIENT_SUBSCRIBE, new ClientEvent.Subscribe(1, 0, List.of("SELECT * FROM t")));
    }

    @Test
    void clientUnsubscribeSendDroppedRowsBothWays()
    {
        assertClient(CLIENT_UNSUBSCRIBE, new ClientEvent.Unsubscribe(2, 0, true));
    }

    @Test
    void clientCallReducerBothWays()
    {
        assertClient(CLIENT_CALL_REDUCER, new ClientEvent.Call(false, 3, "add", new Blob(Hex.bytes("05 00 00 00"))));
        final byte[] bytes = Hex.bytes(CLIENT_CALL_REDUCER);
        final ClientMessageDecoder decoder = new ClientMessageDecoder();
        decoder.decode(new UnsafeBuffer(bytes), 0, bytes.length, 0, 0);
        assertEquals(Protocol.CLIENT_CALL_REDUCER, decoder.tag());
        assertEquals(true, decoder.functionNameEquals("add"));
        assertEquals(false, decoder.functionNameEquals("ad"));
        assertEquals(false, decoder.functionNameEquals("adx"));
        assertEquals(17, decoder.argsOffset());
        assertEquals(4, decoder.argsLength());
        assertEquals(bytes.length, decoder.messageLength());
    }

    private static void assertClient(final String hex, final ClientEvent event)
    {
        final byte[] expected = Hex.bytes(hex);
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(8);
        final ClientMessageEncoder encoder = new ClientMessageEncoder().wrap(out, 0);
        ClientEvent.encode(event, encoder);
        assertArrayEquals(expected, Hex.copy(out, 0, encoder.length()), Hex.string(Hex.copy(out, 0, encoder.length())));

        final ClientEvent.Recorder recorder = new ClientEvent.Recorder();
        new ClientMessageDecoder().decodeV2Frame(new UnsafeBuffer(expected), 0, expected.length, recorder);
        assertEquals(List.of(event), recorder.events);

        // the same message at a non-zero offset of a larger buffer
        final byte[] padded = new byte[expected.length + 7];
        System.arraycopy(expected, 0, padded, 3, expected.length);
        final ClientEvent.Recorder again = new ClientEvent.Recorder();
        new ClientMessageDecoder().decodeV2Frame(new UnsafeBuffer(padded), 3, expected.length, again);
        assertEquals(List.of(event), again.events);
    }
}
