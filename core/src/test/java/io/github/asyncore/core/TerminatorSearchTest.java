package io.github.asyncore.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import io.github.asyncore.core.internal.channel.TerminatorSearch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The word-at-a-time terminator search finds exactly what a byte-by-byte search finds. */
class TerminatorSearchTest {

    @Test
    void findsTheSameIndexAsAPlainSearchAtEveryOffsetInBothByteOrders() {
        Random random = new Random(42);
        for (ByteOrder order : new ByteOrder[] { ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN }) {
            for (int round = 0; round < 2000; round++) {
                int length = random.nextInt(70);
                ByteBuffer buffer = ByteBuffer.allocateDirect(length).order(order);
                for (int i = 0; i < length; i++) {
                    // few distinct values, 0x00, 0x01, 0x0a, 0x80 and 0xff: the tricky neighbours of a match
                    byte[] alphabet = { 0x00, 0x01, '\n', '\r', (byte) 0x80, (byte) 0xff, 'a' };
                    buffer.put(i, alphabet[random.nextInt(alphabet.length)]);
                }
                int from = (length == 0) ? 0 : random.nextInt(length + 1);
                for (byte value : new byte[] { '\n', 0x00, 0x01, (byte) 0xff }) {
                    assertThat(TerminatorSearch.indexOfByte(buffer, from, length, value))
                        .isEqualTo(plainIndexOf(buffer, from, length, value));
                }
                buffer.limit(length).position(from);
                assertThat(TerminatorSearch.indexOf(buffer, new byte[] { '\r', '\n' }))
                    .isEqualTo(plainIndexOf(buffer, new byte[] { '\r', '\n' }));
            }
        }
    }

    private static int plainIndexOf(ByteBuffer buffer, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (buffer.get(i) == value) {
                return i;
            }
        }
        return -1;
    }

    private static int plainIndexOf(ByteBuffer buffer, byte[] term) {
        outer: for (int i = buffer.position(); i <= buffer.limit() - term.length; i++) {
            for (int j = 0; j < term.length; j++) {
                if (buffer.get(i + j) != term[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

}
