package io.github.asyncore.demo.reliability;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The slow-reader test's checker notices a lost, changed or reordered byte. */
class PseudoRandomStreamTests {

    private final PseudoRandomStream stream = new PseudoRandomStream(7007);

    @Test
    void piecesProducedAtAnyOffsetMatchTheStream() {
        byte[] piece = new byte[1000];
        this.stream.fill(piece, 1000, 12_345);
        for (int i = 0; i < piece.length; i++) {
            assertThat(piece[i]).isEqualTo(this.stream.at(12_345 + i));
        }
        assertThat(this.stream.firstMismatch(piece, 1000, 12_345)).isEqualTo(-1);
        byte[] shifted = new byte[999];
        this.stream.fill(shifted, 999, 12_346);
        assertThat(this.stream.firstMismatch(shifted, 999, 12_346)).isEqualTo(-1);
    }

    @Test
    void aChangedLostOrSwappedByteIsFound() {
        byte[] piece = new byte[1000];
        this.stream.fill(piece, 1000, 0);
        piece[700] ^= 1;
        assertThat(this.stream.firstMismatch(piece, 1000, 0)).isEqualTo(700);
        this.stream.fill(piece, 1000, 0);
        assertThat(this.stream.firstMismatch(piece, 999, 1)).as("one byte lost").isEqualTo(0);
        byte swap = piece[10];
        piece[10] = piece[11];
        piece[11] = swap;
        assertThat(piece[10]).isNotEqualTo(piece[11]);
        assertThat(this.stream.firstMismatch(piece, 1000, 0)).as("two bytes swapped").isEqualTo(10);
    }

}
