package io.github.asyncore.demo.reliability;

/**
 * A deterministic pseudo-random byte stream that can be produced and checked piece by piece at any
 * offset, so that a test can send and verify 100 MiB without holding them: byte {@code n} is byte
 * {@code n % 8} of SplitMix64 applied to {@code seed + n / 8}.
 */
final class PseudoRandomStream {

    private final long seed;

    PseudoRandomStream(long seed) {
        this.seed = seed;
    }

    /** @return the byte at the given offset of the stream */
    byte at(long offset) {
        return (byte) (word(offset >>> 3) >>> ((offset & 7) * 8));
    }

    /** Fills {@code buffer[0, length)} with the stream's bytes from {@code offset} on. */
    void fill(byte[] buffer, int length, long offset) {
        long word = word(offset >>> 3);
        for (int i = 0; i < length; i++) {
            long position = offset + i;
            if (i > 0 && (position & 7) == 0) {
                word = word(position >>> 3);
            }
            buffer[i] = (byte) (word >>> ((position & 7) * 8));
        }
    }

    /**
     * @return the offset (relative to {@code buffer}'s start) of the first of {@code buffer[0, length)}
     *         that differs from the stream at {@code offset}, or -1 when all match
     */
    int firstMismatch(byte[] buffer, int length, long offset) {
        long word = word(offset >>> 3);
        for (int i = 0; i < length; i++) {
            long position = offset + i;
            if (i > 0 && (position & 7) == 0) {
                word = word(position >>> 3);
            }
            if (buffer[i] != (byte) (word >>> ((position & 7) * 8))) {
                return i;
            }
        }
        return -1;
    }

    private long word(long index) {
        long z = this.seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

}
