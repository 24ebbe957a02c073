package io.lightcone.edge.protocol;

import io.lightcone.edge.protocol.ServerMessage.Blob;
import io.lightcone.edge.protocol.ServerMessage.PersistentRows;
import io.lightcone.edge.protocol.ServerMessage.RowList;
import io.lightcone.edge.protocol.ServerMessage.TransactionUpdate;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Server messages: seeded random round trips of every variant, RowSizeHint, encoder misuse, decoder errors.
 */
class ServerMessageCodecTest
{
    private final ServerMessageEncoder enc = new ServerMessageEncoder();
    private final ServerMessageDecoder dec = new ServerMessageDecoder();

    private byte[] encode(final ServerMessage message)
    {
        final ExpandableDirectByteBuffer out = new ExpandableDirectByteBuffer(16);
        enc.wrap(out, 5);
        ServerModel.encode(message, enc);
        assertTrue(enc.isComplete());
        return Hex.copy(out, 5, enc.messageLength());
    }

    @Test
    void randomRoundTripsOfEveryVariant()
    {
        final Random random = new Random(0x5eed_1001L);
        final int[] seen = new int[8];
        for (int i = 0; i < 3000; i++)
        {
            final ServerMessage message = ServerModel.random(random);
            final byte[] bytes = encode(message);
            seen[bytes[0]]++;
            assertEquals(message, dec.decode(new UnsafeBuffer(bytes), 0, bytes.length), "iteration " + i);
        }
        for (int tag = 0; tag < 8; tag++)
        {
            assertTrue(seen[tag] > 100, "tag " + tag + " seen " + seen[tag]);
        }
    }

    @Test
    void rowSizeHintFixedSizeWhenAllRowsHaveOneSize()
    {
        final byte[] bytes = encodeRows(new byte[3], new byte[3], new byte[3]);
        // 01 | 00 00 00 00 | 00 00 00 00 | 01 00 00 00 | 01 00 00 00 74 | hint...
        assertEquals("00 03 00 09 00 00 00", Hex.string(slice(bytes, 18, 7)));
    }

    @Test
    void rowSizeHintRowOffsetsWhenSizesDiffer()
    {
        final byte[] bytes = encodeRows(new byte[2], new byte[5], new byte[0], new byte[1]);
        assertEquals("01 04 00 00 00 " +
            "00 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 07 00 00 00 00 00 00 00 07 00 00 00 00 00 00 00 " +
            "08 00 00 00", Hex.string(slice(bytes, 18, 41)));
    }

    @Test
    void rowSizeHintForEmptyListsAndZeroSizedRows()
    {
        assertEquals("01 00 00 00 00 00 00 00 00", Hex.string(slice(encodeRows(), 18, 9)));
        // rows of an empty product are 0 bytes: FixedSize(0) is invalid, so RowOffsets
        assertEquals("01 02 00 00 00 " + "00 ".repeat(16) + "00 00 00 00",
            Hex.string(slice(encodeRows(new byte[0], new byte[0]), 18, 25)));
        // a single row larger than a u16 cannot be FixedSize
        final byte[] big = encodeRows(new byte[70000]);
        assertEquals("01 01 00 00 00 00 00 00 00 00 00 00 00 70 11 01 00", Hex.string(slice(big, 18, 17)));
        final RowListBuilder builder = new RowListBuilder();
        assertEquals(9, builder.encodedLength());
        builder.append(new byte[4]).append(new byte[4]);
        assertTrue(builder.isFixedSize());
        assertEquals(3 + 4 + 8, builder.encodedLength());
        builder.reset().append(new byte[4]).append(new byte[5]);
        assertEquals(5 + 16 + 4 + 9, builder.encodedLength());
    }

    private byte[] encodeRows(final byte[]... rows)
    {
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(16);
        enc.wrap(out, 0).beginSubscribeApplied(0, 0).beginTable("t");
        for (final byte[] row : rows)
        {
            enc.row(new UnsafeBuffer(row), 0, row.length);
        }
        enc.endTable().endQueryRows();
        final byte[] bytes = Hex.copy(out, 0, enc.position());
        final ServerMessage.SubscribeApplied decoded =
            (ServerMessage.SubscribeApplied)dec.decode(new UnsafeBuffer(bytes), 0, bytes.length);
        assertEquals(RowList.of(ServerMessage.blobs(rows)), decoded.rows().tables().get(0).rows());
        return bytes;
    }

    private static byte[] slice(final byte[] bytes, final int from, final int length)
    {
        final byte[] out = new byte[length];
        System.arraycopy(bytes, from, out, 0, length);
        return out;
    }

    @Test
    void insertsAreWrittenBeforeDeletesWhateverTheCallOrder()
    {
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(16);
        final UnsafeBuffer del = new UnsafeBuffer(new byte[] {0x0d});
        final UnsafeBuffer ins = new UnsafeBuffer(new byte[] {0x01});
        enc.wrap(out, 0).beginTransactionUpdate().beginQuerySet(9).beginTableUpdate("t").beginPersistentRows()
            .delete(del, 0, 1).insert(ins, 0, 1).endPersistentRows().endTableUpdate().endQuerySet()
            .endTransactionUpdate();
        assertEquals("04 01 00 00 00 09 00 00 00 01 00 00 00 01 00 00 00 74 01 00 00 00 00 " +
            "00 01 00 01 00 00 00 01 " + "00 01 00 01 00 00 00 0d", Hex.string(Hex.copy(out, 0, enc.position())));
        final byte[] bytes = Hex.copy(out, 0, enc.position());
        final TransactionUpdate tu = (TransactionUpdate)dec.decode(new UnsafeBuffer(bytes), 0, bytes.length);
        final PersistentRows rows = (PersistentRows)tu.querySets().get(0).tables().get(0).rows().get(0);
        assertEquals(List.of(new Blob(new byte[] {1})), rows.inserts().rows());
        assertEquals(List.of(new Blob(new byte[] {0x0d})), rows.deletes().rows());
    }

    @Test
    void reducerErrCarriesABsatnStringInsideBytes()
    {
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(16);
        enc.wrap(out, 0).reducerResultErr(1, 2, "no");
        assertEquals("06 01 00 00 00 02 00 00 00 00 00 00 00 02 06 00 00 00 02 00 00 00 6e 6f",
            Hex.string(Hex.copy(out, 0, enc.position())));
    }

    @Test
    void subscriptionErrorOptionalRequestIdAndProcedureFieldOrder()
    {
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(16);
        enc.wrap(out, 0).subscriptionError(false, 0, 4, "x");
        assertEquals("03 01 04 00 00 00 01 00 00 00 78", Hex.string(Hex.copy(out, 0, enc.position())));
        enc.wrap(out, 0).subscriptionError(true, 7, 4, "x");
        assertEquals("03 00 07 00 00 00 04 00 00 00 01 00 00 00 78", Hex.string(Hex.copy(out, 0, enc.position())));
        enc.wrap(out, 0).procedureResultReturned(5, 1, 2, new UnsafeBuffer(new byte[] {9}), 0, 1);
        assertEquals("07 00 01 00 00 00 09 01 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 05 00 00 00",
            Hex.string(Hex.copy(out, 0, enc.position())));
        enc.wrap(out, 0).unsubscribeApplied(2, 3);
        assertEquals("02 02 00 00 00 03 00 00 00 01", Hex.string(Hex.copy(out, 0, enc.position())));
    }

    @Test
    void encoderMisuseIsAnIllegalStateException()
    {
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(16);
        final UnsafeBuffer row = new UnsafeBuffer(new byte[1]);
        enc.wrap(out, 0);
        assertThrows(IllegalStateException.class, () -> enc.row(row, 0, 1));
        enc.beginSubscribeApplied(1, 1);
        assertThrows(IllegalStateException.class, () -> enc.row(row, 0, 1));
        assertThrows(IllegalStateException.class, enc::endTransactionUpdate);
        assertThrows(IllegalStateException.class, () -> enc.beginQuerySet(1));
        assertThrows(IllegalStateException.class, () -> enc.unsubscribeApplied(1, 1));
        assertTrue(!enc.isComplete());
        enc.beginTable("t");
        assertThrows(IllegalStateException.class, enc::endQueryRows);
        enc.endTable().endQueryRows();
        assertTrue(enc.isComplete());
        assertThrows(IllegalArgumentException.class, () -> enc.initialConnection(new byte[31], new byte[16], ""));
    }

    @Test
    void decoderRejectsInconsistentRowListsAndBadTags()
    {
        assertDecodeError("01 00 00 00 00 00 00 00 00 01 00 00 00 01 00 00 00 74 00 00 00 00 00 00 00",
            "RowSizeHint::FixedSize(0)");
        assertDecodeError("01 00 00 00 00 00 00 00 00 01 00 00 00 01 00 00 00 74 00 02 00 03 00 00 00 01 02 03",
            "not a multiple of FixedSize(2)");
        assertDecodeError("01 00 00 00 00 00 00 00 00 01 00 00 00 01 00 00 00 74 01 01 00 00 00 " +
            "05 00 00 00 00 00 00 00 01 00 00 00 01", "RowOffsets entry 0 = 5");
        assertDecodeError("09", "unknown ServerMessage tag 9");
        assertDecodeError("06 00 00 00 00 00 00 00 00 00 00 00 00 07", "invalid ReducerOutcome tag 7");
        assertDecodeError("02 00 00 00 00 00 00 00 00", "truncated input");
        assertDecodeError("02 00 00 00 00 00 00 00 00 01 ff", "trailing 1 bytes");
    }

    private void assertDecodeError(final String hex, final String expected)
    {
        final byte[] bytes = Hex.bytes(hex);
        final ProtocolException e = assertThrows(ProtocolException.class, () ->
            dec.decode(new UnsafeBuffer(bytes), 0, bytes.length));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void truncatedServerMessagesAreProtocolExceptions()
    {
        final Random random = new Random(0x5eed_1002L);
        for (int i = 0; i < 200; i++)
        {
            final byte[] bytes = encode(ServerModel.random(random));
            for (int cut = 0; cut < bytes.length; cut++)
            {
                try
                {
                    dec.decode(new UnsafeBuffer(bytes), 0, cut);
                    fail("decoded a truncation");
                }
                catch (final ProtocolException expected)
                {
                    assertTrue(expected.getMessage().length() > 10);
                }
            }
        }
    }
}
