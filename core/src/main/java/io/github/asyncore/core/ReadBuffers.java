package io.github.asyncore.core;

import java.nio.ByteBuffer;

/**
 * One direct read buffer per loop thread, shared by every channel on it: reads happen one at a time on
 * a loop thread, so idle channels hold no read buffer of their own.
 */
final class ReadBuffers {

    private static final int MIN_CAPACITY = 64 * 1024;

    private static final ThreadLocal<ByteBuffer> buffers = new ThreadLocal<>();

    private ReadBuffers() {
    }

    /** @return the calling thread's buffer, cleared, with at least {@code capacity} bytes of room */
    static ByteBuffer acquire(int capacity) {
        ByteBuffer buffer = buffers.get();
        if (buffer == null || buffer.capacity() < capacity) {
            buffer = ByteBuffer.allocateDirect(Math.max(capacity, MIN_CAPACITY));
            buffers.set(buffer);
        }
        return buffer.clear();
    }

}
