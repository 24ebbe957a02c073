package io.lightcone.client;

import org.agrona.DirectBuffer;

/**
 * Turns a row's BSATN into a typed object. Generated table classes implement it; {@link TableCache#find} and
 * {@link RowView#decode} call it.
 *
 * @param <T> the row type.
 */
@FunctionalInterface
public interface RowDecoder<T>
{
    /**
     * Decodes one row.
     *
     * @param buffer holding the row.
     * @param offset of its first byte.
     * @param length of the row.
     * @return the row object.
     */
    T decode(DirectBuffer buffer, int offset, int length);
}
