package io.github.asyncore.core.internal.channel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * asynchat's terminator search over a read buffer, for {@code AsyncChat}: where a frame's terminator is,
 * and how much of one may be cut off at the end of the buffer. Buffers are read in place, from position to
 * limit, and not changed. Not API.
 */
public final class TerminatorSearch {

    private TerminatorSearch() {
    }

    /**
     * @param input the bytes, from position to limit
     * @param term the terminator
     * @return the absolute index of the first occurrence of {@code term} from the position, or -1
     */
    public static int indexOf(ByteBuffer input, byte[] term) {
        int limit = input.limit() - term.length;
        byte first = term[0];
        for (int i = input.position(); i <= limit; i++) {
            i = indexOfByte(input, i, limit + 1, first);
            if (i < 0) {
                return -1;
            }
            int j = 1;
            while (j < term.length && input.get(i + j) == term[j]) {
                j++;
            }
            if (j == term.length) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Finds a byte eight at a time: a word XOR the byte repeated has a zero byte where they match, and
     * {@code (x - 0x01..) & ~x & 0x80..} marks the zero bytes; read little-endian, the lowest mark is
     * always a true match (a borrow only runs towards later bytes).
     * @param input the bytes
     * @param from the first index to look at
     * @param to the index after the last
     * @param value the byte to find
     * @return the absolute index of the first {@code value} in {@code [from, to)}, or -1
     */
    public static int indexOfByte(ByteBuffer input, int from, int to, byte value) {
        long pattern = (value & 0xFFL) * 0x0101010101010101L;
        boolean bigEndian = input.order() == ByteOrder.BIG_ENDIAN;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = input.getLong(i);
            if (bigEndian) {
                word = Long.reverseBytes(word);
            }
            word ^= pattern;
            long found = (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (input.get(i) == value) {
                return i;
            }
        }
        return -1;
    }

    /**
     * asynchat's {@code find_prefix_at_end}: the longest proper prefix of {@code term} ending the input.
     * @param input the bytes, from position to limit
     * @param term the terminator
     * @return the prefix's length, 0 when none
     */
    public static int prefixAtEnd(ByteBuffer input, byte[] term) {
        int end = input.limit();
        for (int length = Math.min(term.length - 1, input.remaining()); length > 0; length--) {
            int start = end - length;
            int j = 0;
            while (j < length && input.get(start + j) == term[j]) {
                j++;
            }
            if (j == length) {
                return length;
            }
        }
        return 0;
    }

}
