package io.lightcone.core.index;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnWriter;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Invariant: a B-tree scan over the KeyRange built from ABI arguments returns exactly the rows whose decoded
 * (u32, string) key satisfies "equal on the prefix columns, column k within its Bound".
 */
class KeyRangesTest
{
    private static final AlgebraicType[] KEY = {AlgebraicType.U32, AlgebraicType.STRING};
    private static final String[] PIECES = {"", "a", "b", "\0", "\u00e9", "ab"};
    private static final int ROWS = 400;

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {1L, 5L, 0xABCL})
    void rangeFromAbiShouldSelectExactlyTheRowsOfTheDecodedFilter(final long seed)
    {
        final Random random = new Random(seed);
        final int[] numbers = new int[ROWS];
        final String[] texts = new String[ROWS];
        final BTreeIndex index = new BTreeIndex(false, 4);
        final KeyRanges ranges = new KeyRanges();
        final ExpandableArrayBuffer bsatn = new ExpandableArrayBuffer(64);
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(8);
        for (int row = 0; row < ROWS; row++)
        {
            numbers[row] = random.nextInt(6);
            texts[row] = randomText(random);
            final BsatnWriter writer = new BsatnWriter(bsatn, 0).writeU32(numbers[row]).writeString(texts[row]);
            final int length = ranges.encodeKey(KEY, bsatn, 0, writer.length(), scratch, 0);
            index.insert(scratch, 0, length, row);
        }

        final KeyRange range = new KeyRange();
        final ExpandableArrayBuffer prefix = new ExpandableArrayBuffer(16);
        final ExpandableArrayBuffer start = new ExpandableArrayBuffer(16);
        final ExpandableArrayBuffer end = new ExpandableArrayBuffer(16);
        for (int q = 0; q < 2_000; q++)
        {
            final int prefixElems = random.nextInt(2);
            final int prefixNumber = random.nextInt(6);
            final BsatnWriter prefixWriter = new BsatnWriter(prefix, 0);
            if (prefixElems == 1)
            {
                prefixWriter.writeU32(prefixNumber);
            }
            final int startTag = random.nextInt(3);
            final int endTag = random.nextInt(3);
            final Object startValue = prefixElems == 0 ? (Object)random.nextInt(7) : randomText(random);
            final Object endValue = prefixElems == 0 ? (Object)random.nextInt(7) : randomText(random);
            final int startLength = writeBound(start, startTag, startValue);
            final int endLength = writeBound(end, endTag, endValue);

            ranges.fromAbi(KEY, prefix, 0, prefixWriter.length(), prefixElems, start, 0, startLength, end, 0,
                endLength, range, scratch);
            final List<Integer> actual = new ArrayList<>();
            index.scan(range, actual::add);
            Collections.sort(actual);

            final List<Integer> expected = new ArrayList<>();
            for (int row = 0; row < ROWS; row++)
            {
                final boolean matches;
                if (prefixElems == 0)
                {
                    final int c0 = numbers[row];
                    matches = inBound(Integer.compare(c0, (Integer)startValue), startTag, true) &&
                        inBound(Integer.compare(c0, (Integer)endValue), endTag, false);
                }
                else
                {
                    matches = numbers[row] == prefixNumber &&
                        inBound(compareText(texts[row], (String)startValue), startTag, true) &&
                        inBound(compareText(texts[row], (String)endValue), endTag, false);
                }
                if (matches)
                {
                    expected.add(row);
                }
            }
            assertEquals(expected, actual, "seed=" + seed + " q=" + q + " prefixElems=" + prefixElems +
                " prefix=" + prefixNumber + " start=" + startTag + ":" + startValue + " end=" + endTag + ":" +
                endValue);
        }

        for (int q = 0; q < 200; q++)
        {
            final int row = random.nextInt(ROWS);
            final BsatnWriter writer = new BsatnWriter(bsatn, 0).writeU32(numbers[row]).writeString(texts[row]);
            ranges.point(KEY, bsatn, 0, writer.length(), range, scratch);
            final List<Integer> actual = new ArrayList<>();
            index.scan(range, actual::add);
            final List<Integer> expected = new ArrayList<>();
            for (int other = 0; other < ROWS; other++)
            {
                if (numbers[other] == numbers[row] && texts[other].equals(texts[row]))
                {
                    expected.add(other);
                }
            }
            assertEquals(expected, actual, "seed=" + seed + " point row=" + row);
        }
    }

    @Test
    void shouldRejectMalformedAbiArguments()
    {
        final KeyRanges ranges = new KeyRanges();
        final KeyRange range = new KeyRange();
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(8);
        final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
        final UnsafeBuffer unbounded = new UnsafeBuffer(new byte[] {2});
        final UnsafeBuffer included7 = new UnsafeBuffer(new byte[] {0, 7, 0, 0, 0});
        final UnsafeBuffer prefix = new UnsafeBuffer(new byte[] {1, 0, 0, 0, 1, 0, 0, 0, 'a'});
        final UnsafeBuffer badTag = new UnsafeBuffer(new byte[] {3});
        final UnsafeBuffer trailing = new UnsafeBuffer(new byte[] {2, 9});

        ranges.fromAbi(KEY, empty, 0, 0, 0, included7, 0, 5, unbounded, 0, 1, range, scratch);
        assertEquals(4, range.lowerLength());
        assertEquals(0, range.upperLength());
        ranges.fromAbi(KEY, prefix, 0, 9, 2, unbounded, 0, 1, unbounded, 0, 1, range, scratch);
        assertEquals(true, range.isPrefix());

        assertThrows(BsatnDecodeException.class,
            () -> ranges.fromAbi(KEY, prefix, 0, 9, 2, included7, 0, 5, unbounded, 0, 1, range, scratch));
        assertThrows(BsatnDecodeException.class,
            () -> ranges.fromAbi(KEY, prefix, 0, 9, 3, unbounded, 0, 1, unbounded, 0, 1, range, scratch));
        assertThrows(BsatnDecodeException.class,
            () -> ranges.fromAbi(KEY, empty, 0, 0, 0, badTag, 0, 1, unbounded, 0, 1, range, scratch));
        assertThrows(BsatnDecodeException.class,
            () -> ranges.fromAbi(KEY, empty, 0, 0, 0, trailing, 0, 2, unbounded, 0, 1, range, scratch));
        assertThrows(BsatnDecodeException.class,
            () -> ranges.fromAbi(KEY, prefix, 0, 5, 1, unbounded, 0, 1, unbounded, 0, 1, range, scratch));
        assertThrows(BsatnDecodeException.class,
            () -> ranges.fromAbi(KEY, empty, 0, 0, 0, empty, 0, 0, unbounded, 0, 1, range, scratch));
        assertThrows(BsatnDecodeException.class,
            () -> ranges.fromAbi(KEY, empty, 0, 0, 0, included7, 0, 3, unbounded, 0, 1, range, scratch));
        assertThrows(BsatnDecodeException.class, () -> ranges.point(KEY, prefix, 0, 4, range, scratch));
        assertThrows(BsatnDecodeException.class, () -> ranges.point(KEY, trailing, 0, 2, range, scratch));
    }

    private static boolean inBound(final int comparison, final int tag, final boolean isStart)
    {
        switch (tag)
        {
            case KeyRanges.BOUND_INCLUDED:
                return isStart ? comparison >= 0 : comparison <= 0;
            case KeyRanges.BOUND_EXCLUDED:
                return isStart ? comparison > 0 : comparison < 0;
            default:
                return true;
        }
    }

    private static int compareText(final String a, final String b)
    {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static int writeBound(final ExpandableArrayBuffer buffer, final int tag, final Object value)
    {
        final BsatnWriter writer = new BsatnWriter(buffer, 0).writeU8(tag);
        if (tag != KeyRanges.BOUND_UNBOUNDED)
        {
            if (value instanceof Integer)
            {
                writer.writeU32((Integer)value);
            }
            else
            {
                writer.writeString((String)value);
            }
        }
        return writer.length();
    }

    private static String randomText(final Random random)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(3); i > 0; i--)
        {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }
}
