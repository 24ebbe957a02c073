package io.lightcone.bench.recovery;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The contents of the {@code ledger} module's {@code entry} table as a function of the id and a salt, the same
 * functions as {@code bench/src/main/c/ledger.c}, so the harness knows what the table must hold without reading it:
 * <pre>
 *   row    = BSATN {id: u64, owner: u32, amount: i64, memo: str}
 *   owner  = (u32)(id * 0x9E3779B1)
 *   amount = mix(id ^ salt)              SplitMix64's finaliser
 *   memo   = "entry " + decimal(id)
 * </pre>
 * The checksum of a table is the wrapping sum of {@link #rowHash} over its rows' BSATN bytes: independent of row
 * order, and any missing, extra or changed row changes it (up to 64-bit collisions).
 */
final class LedgerModel
{
    /** Salt of the rows as first inserted. */
    static final long INSERT_SALT = 0x5EED_0001L;
    /** Salt of the rows rewritten by the log tail. */
    static final long UPDATE_SALT = 0x5EED_0002L;

    private final ExpandableArrayBuffer row = new ExpandableArrayBuffer(64);

    private LedgerModel()
    {
    }

    /**
     * The checksum of a table holding ids {@code 0..rows-1}, those below {@code updated} with {@link #UPDATE_SALT}
     * and the rest with {@link #INSERT_SALT}.
     *
     * @param rows    rows in the table.
     * @param updated how many of the first ids were rewritten.
     * @return the checksum.
     */
    static long checksum(final long rows, final long updated)
    {
        final LedgerModel model = new LedgerModel();
        long sum = 0;
        for (long id = 0; id < rows; id++)
        {
            final int length = model.encode(id, id < updated ? UPDATE_SALT : INSERT_SALT);
            sum += rowHash(model.row, 0, length);
        }
        return sum;
    }

    private int encode(final long id, final long salt)
    {
        final byte[] memo = ("entry " + Long.toUnsignedString(id)).getBytes(StandardCharsets.US_ASCII);
        row.putLong(0, id, ByteOrder.LITTLE_ENDIAN);
        row.putInt(8, (int)(id * 0x9E3779B1L), ByteOrder.LITTLE_ENDIAN);
        row.putLong(12, mix(id ^ salt), ByteOrder.LITTLE_ENDIAN);
        row.putInt(20, memo.length, ByteOrder.LITTLE_ENDIAN);
        row.putBytes(24, memo);
        return 24 + memo.length;
    }

    /**
     * SplitMix64's finaliser.
     *
     * @param value what to mix.
     * @return the mixed value.
     */
    static long mix(final long value)
    {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A 64-bit hash of one row's bytes (FNV-1a, then mixed).
     *
     * @param buffer holding the row.
     * @param offset where it starts.
     * @param length its length.
     * @return the hash.
     */
    static long rowHash(final DirectBuffer buffer, final int offset, final int length)
    {
        long hash = 0xCBF29CE484222325L;
        for (int i = 0; i < length; i++)
        {
            hash = (hash ^ (buffer.getByte(offset + i) & 0xFF)) * 0x100000001B3L;
        }
        return mix(hash);
    }
}
