package io.github.asyncore.core;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * asynchat's {@code simple_producer}: hands out a byte array in chunks of at most {@code chunkSize}.
 * Not thread-safe; used by the loop thread once queued.
 */
public final class SimpleProducer implements Producer {

    /** asynchat's default chunk: 512 bytes. */
    public static final int DEFAULT_CHUNK_SIZE = 512;

    private final byte[] data;

    private final int chunkSize;

    private int offset;

    /**
     * Creates a producer of the data in chunks of 512 bytes.
     * @param data the bytes to produce; not copied, so do not change them afterwards
     */
    public SimpleProducer(byte[] data) {
        this(data, DEFAULT_CHUNK_SIZE);
    }

    /**
     * Creates a producer of the data in chunks of at most {@code chunkSize} bytes.
     * @param data the bytes to produce; not copied, so do not change them afterwards
     * @param chunkSize the most bytes per chunk, at least 1
     */
    public SimpleProducer(byte[] data, int chunkSize) {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunkSize must be at least 1, was " + chunkSize);
        }
        this.data = Objects.requireNonNull(data, "data");
        this.chunkSize = chunkSize;
    }

    @Override
    public ByteBuffer more() {
        int length = Math.min(this.chunkSize, this.data.length - this.offset);
        ByteBuffer chunk = ByteBuffer.wrap(this.data, this.offset, length).slice();
        this.offset += length;
        return chunk;
    }

}
