package io.github.asyncore.core;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The buffers one loop lends its channels, so that idle channels hold none and steady traffic allocates
 * none: one direct read buffer shared by every channel (reads happen one at a time on a loop thread), and
 * a pool of direct chunks for queued output. Loop thread only (or the thread setting up a loop that no
 * thread runs yet).
 */
final class LoopBuffers {

    /** Size of one output chunk: a few socket writes' worth. */
    static final int CHUNK_SIZE = 16 * 1024;

    /** Chunks kept for reuse; more are allocated when needed and left to the garbage collector after. */
    private static final int MAX_POOLED_CHUNKS = 256;

    private static final int MIN_READ_BUFFER = 64 * 1024;

    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();

    private ByteBuffer readBuffer;

    /** @return the shared read buffer, cleared, with at least {@code capacity} bytes of room */
    ByteBuffer readBuffer(int capacity) {
        ByteBuffer buffer = this.readBuffer;
        if (buffer == null || buffer.capacity() < capacity) {
            buffer = ByteBuffer.allocateDirect(Math.max(capacity, MIN_READ_BUFFER));
            this.readBuffer = buffer;
        }
        return buffer.clear();
    }

    /** @return an empty chunk in write mode */
    ByteBuffer acquireChunk() {
        ByteBuffer chunk = this.chunks.pollFirst();
        return (chunk != null) ? chunk : ByteBuffer.allocateDirect(CHUNK_SIZE);
    }

    void releaseChunk(ByteBuffer chunk) {
        if (this.chunks.size() < MAX_POOLED_CHUNKS) {
            this.chunks.addFirst(chunk.clear());
        }
    }

}
