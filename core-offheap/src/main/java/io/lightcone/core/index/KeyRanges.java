package io.lightcone.core.index;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Builds {@link KeyRange}s from the module ABI arguments of {@code datastore_index_scan_range_bsatn} and
 * {@code datastore_index_scan_point_bsatn} (reference/spacetimedb-contracts.md §4.2).
 * <p>
 * A range scan gives the BSATN of the first {@code k = prefix_elems} key columns (concatenated) and two BSATN
 * {@code Bound<T>} values for column {@code k}: tag 0 included(T), 1 excluded(T), 2 unbounded. With {@code P} the
 * encoded prefix and {@code V} the encoded bound value:
 * <pre>
 *   start included(v) : lower P+V INCLUSIVE      end included(v) : upper P+V INCLUSIVE
 *   start excluded(v) : lower P+V EXCLUSIVE      end excluded(v) : upper P+V EXCLUSIVE
 *   start unbounded   : lower P   INCLUSIVE      end unbounded   : upper P   INCLUSIVE
 * </pre>
 * which, by prefix-freeness of the encoding, leaves the columns after {@code k} unbounded.
 * <p>
 * Not thread safe: one instance per thread, reusing its reader.
 */
public final class KeyRanges
{
    /** Bound tag: included(T). */
    public static final int BOUND_INCLUDED = 0;
    /** Bound tag: excluded(T). */
    public static final int BOUND_EXCLUDED = 1;
    /** Bound tag: unbounded. */
    public static final int BOUND_UNBOUNDED = 2;

    private final BsatnReader reader = new BsatnReader();

    /**
     * Fills {@code out} from the arguments of {@code datastore_index_scan_range_bsatn}.
     *
     * @param keyTypes     the index's key column types.
     * @param prefix       buffer holding the prefix BSATN.
     * @param prefixOffset of the prefix.
     * @param prefixLength of the prefix.
     * @param prefixElems  number of key columns in the prefix.
     * @param start        buffer holding the BSATN {@code Bound} of the start.
     * @param startOffset  of the start bound.
     * @param startLength  of the start bound.
     * @param end          buffer holding the BSATN {@code Bound} of the end.
     * @param endOffset    of the end bound.
     * @param endLength    of the end bound.
     * @param out          receives the range.
     * @param scratch      grow-safe work buffer (e.g. an {@code ExpandableArrayBuffer}).
     * @throws BsatnDecodeException on malformed input, trailing bytes, or too many prefix elements.
     */
    public void fromAbi(
        final AlgebraicType[] keyTypes,
        final DirectBuffer prefix,
        final int prefixOffset,
        final int prefixLength,
        final int prefixElems,
        final DirectBuffer start,
        final int startOffset,
        final int startLength,
        final DirectBuffer end,
        final int endOffset,
        final int endLength,
        final KeyRange out,
        final MutableDirectBuffer scratch)
    {
        if (prefixElems < 0 || prefixElems > keyTypes.length)
        {
            throw new BsatnDecodeException(0, "prefix_elems " + prefixElems + " outside 0.." + keyTypes.length);
        }
        reader.wrap(prefix, prefixOffset, prefixLength);
        final int p = OrderedKeyEncoder.encodeColumns(reader, keyTypes, 0, prefixElems, scratch, 0);
        requireExhausted("prefix");

        final int startTag = boundTag(start, startOffset, startLength);
        final int endTag = boundTag(end, endOffset, endLength);
        if (prefixElems == keyTypes.length && (startTag != BOUND_UNBOUNDED || endTag != BOUND_UNBOUNDED))
        {
            throw new BsatnDecodeException(0, "prefix_elems " + prefixElems + " leaves no key column for a bound");
        }

        final AlgebraicType boundType = prefixElems < keyTypes.length ? keyTypes[prefixElems] : null;
        reader.wrap(start, startOffset, startLength);
        out.lower(scratch, 0, p + boundValue(boundType, scratch, p), kindOf(startTag));
        requireExhausted("start bound");

        reader.wrap(end, endOffset, endLength);
        out.upper(scratch, 0, p + boundValue(boundType, scratch, p), kindOf(endTag));
        requireExhausted("end bound");
    }

    /**
     * Fills {@code out} with the point range of {@code datastore_index_scan_point_bsatn}: the BSATN of the full key
     * (for a multi-column key, the product of the columns, i.e. their concatenation).
     *
     * @param keyTypes    the index's key column types.
     * @param point       buffer holding the key BSATN.
     * @param pointOffset of the key.
     * @param pointLength of the key.
     * @param out         receives the range.
     * @param scratch     grow-safe work buffer.
     * @throws BsatnDecodeException on malformed input or trailing bytes.
     */
    public void point(
        final AlgebraicType[] keyTypes,
        final DirectBuffer point,
        final int pointOffset,
        final int pointLength,
        final KeyRange out,
        final MutableDirectBuffer scratch)
    {
        out.prefix(scratch, 0, encodeKey(keyTypes, point, pointOffset, pointLength, scratch, 0));
    }

    /**
     * Encodes the BSATN of a full key (its columns concatenated) and checks nothing trails it.
     *
     * @param keyTypes  the key column types.
     * @param bsatn     buffer holding the key BSATN.
     * @param offset    of the key BSATN.
     * @param length    of the key BSATN.
     * @param dst       receives the encoding.
     * @param dstOffset where it starts.
     * @return the encoded length.
     * @throws BsatnDecodeException on malformed input or trailing bytes.
     */
    public int encodeKey(
        final AlgebraicType[] keyTypes,
        final DirectBuffer bsatn,
        final int offset,
        final int length,
        final MutableDirectBuffer dst,
        final int dstOffset)
    {
        reader.wrap(bsatn, offset, length);
        final int written = OrderedKeyEncoder.encodeColumns(reader, keyTypes, 0, keyTypes.length, dst, dstOffset);
        requireExhausted("key");
        return written;
    }

    private int boundTag(final DirectBuffer bound, final int offset, final int length)
    {
        reader.wrap(bound, offset, length);
        final int tag = reader.readU8();
        if (tag > BOUND_UNBOUNDED)
        {
            throw new BsatnDecodeException(0, "Bound tag " + tag + " (expected 0, 1 or 2)");
        }
        return tag;
    }

    private int boundValue(final AlgebraicType type, final MutableDirectBuffer scratch, final int at)
    {
        final int tag = reader.readU8();
        if (tag == BOUND_UNBOUNDED)
        {
            return 0;
        }
        return OrderedKeyEncoder.encode(reader, type, scratch, at);
    }

    private static BoundKind kindOf(final int tag)
    {
        return tag == BOUND_EXCLUDED ? BoundKind.EXCLUSIVE : BoundKind.INCLUSIVE;
    }

    private void requireExhausted(final String what)
    {
        if (!reader.isExhausted())
        {
            throw reader.error(reader.remaining() + " trailing bytes after " + what);
        }
    }
}
