package io.github.asyncore.core.internal.channel;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

import io.github.asyncore.core.CloseReason;
import io.github.asyncore.core.Producer;
import io.github.asyncore.core.internal.loop.LoopBuffers;
import io.github.asyncore.core.internal.loop.OutputMemoryExhaustedException;

/**
 * The output a buffered dispatcher owes its peer, in order: bytes copied into chunks borrowed from the
 * loop's pool (small sends fill the last chunk, so that many of them leave in one write), buffers made
 * by producers (asynchat's {@code producer_fifo}), producers themselves, and markers: end-of-stream
 * ({@code shutdownOutput}) and close (close-when-done, a {@link CloseReason}). Counts the bytes held. Loop
 * thread only.
 */
public final class OutputQueue {

    private static final Object SHUTDOWN_OUTPUT = new Object();

    private final ArrayDeque<Object> entries = new ArrayDeque<>(4);

    private final LoopBuffers buffers;

    /** The last entry when it is a pooled chunk that may take more bytes (read mode: data from position to limit). */
    private ByteBuffer tail;

    /** Chunks lent to this queue ahead of the bytes that will fill them (see {@link #reserveRoom}). */
    private final ArrayDeque<ByteBuffer> spare = new ArrayDeque<>(2);

    private long pendingBytes;

    public OutputQueue(LoopBuffers buffers) {
        this.buffers = buffers;
    }

    public boolean isEmpty() {
        return this.entries.isEmpty();
    }

    public long pendingBytes() {
        return this.pendingBytes;
    }

    /**
     * Copies {@code length} bytes of the array into the queue: all of them, or none when the loop has no
     * output memory for them.
     * @throws OutputMemoryExhaustedException when the chunks they need cannot be had; the queue is unchanged
     *         but for the chunks it could borrow, which the next append uses
     */
    public void append(byte[] source, int offset, int length) {
        reserveRoom(length);
        this.pendingBytes += length;
        while (length > 0) {
            ByteBuffer chunk = tailWithRoom();
            int limit = chunk.limit();
            int count = Math.min(length, chunk.capacity() - limit);
            chunk.limit(limit + count); // absolute puts must stay below the limit
            chunk.put(limit, source, offset, count);
            offset += count;
            length -= count;
        }
    }

    /**
     * Copies the buffer's remaining bytes into the queue, consuming them: all, or none as
     * {@link #append(byte[], int, int)}.
     */
    public void append(ByteBuffer source) {
        int length = source.remaining();
        reserveRoom(length);
        this.pendingBytes += length;
        int offset = source.position();
        while (length > 0) {
            ByteBuffer chunk = tailWithRoom();
            int limit = chunk.limit();
            int count = Math.min(length, chunk.capacity() - limit);
            chunk.limit(limit + count); // absolute puts must stay below the limit
            chunk.put(limit, source, offset, count);
            offset += count;
            length -= count;
        }
        source.position(offset);
    }

    public void add(Producer producer) {
        this.entries.addLast(producer);
        this.tail = null;
    }

    /** Queues a close with the reason it will report. */
    public void addClose(CloseReason reason) {
        this.entries.addLast(reason);
        this.tail = null;
    }

    /** Queues a half-close. */
    public void addShutdownOutput() {
        this.entries.addLast(SHUTDOWN_OUTPUT);
        this.tail = null;
    }

    /**
     * @return the next bytes to write, asking producers for more as needed; {@code null} when nothing is
     *         left before a marker or the end
     */
    public ByteBuffer head() {
        while (true) {
            Object first = this.entries.peekFirst();
            if (first == null || first == SHUTDOWN_OUTPUT || first instanceof CloseReason) {
                return null;
            }
            if (first instanceof ByteBuffer chunk) {
                return chunk;
            }
            if (first instanceof Produced produced) {
                return produced.buffer();
            }
            ByteBuffer more = ((Producer) first).more();
            if (more == null || !more.hasRemaining()) {
                this.entries.pollFirst();
                continue;
            }
            this.entries.addFirst(new Produced(more));
            this.pendingBytes += more.remaining();
            return more;
        }
    }

    /** Records that {@code count} bytes of {@code head} were written. */
    public void written(ByteBuffer head, int count) {
        this.pendingBytes -= count;
        if (head.hasRemaining()) {
            return;
        }
        Object first = this.entries.pollFirst();
        if (first instanceof ByteBuffer chunk) {
            if (chunk == this.tail) {
                this.tail = null;
            }
            this.buffers.releaseChunk(chunk);
        }
    }

    /** @return whether everything before a close marker has been written */
    public boolean atClose() {
        return this.entries.peekFirst() instanceof CloseReason;
    }

    /** @return the reason of the close marker that is first; only when {@link #atClose()} */
    public CloseReason closeReason() {
        return (CloseReason) this.entries.peekFirst();
    }

    /** @return whether everything before an end-of-stream marker has been written */
    public boolean atShutdownOutput() {
        return this.entries.peekFirst() == SHUTDOWN_OUTPUT;
    }

    /** Drops the marker that is first, once it has been acted on. */
    public void removeMarker() {
        this.entries.pollFirst();
    }

    public void clear() {
        for (Object entry : this.entries) {
            if (entry instanceof ByteBuffer chunk) {
                this.buffers.releaseChunk(chunk);
            }
        }
        ByteBuffer chunk;
        while ((chunk = this.spare.pollFirst()) != null) {
            this.buffers.releaseChunk(chunk);
        }
        this.entries.clear();
        this.tail = null;
        this.pendingBytes = 0;
    }

    /** Borrows, before any byte is copied, every chunk that {@code length} more bytes need. */
    private void reserveRoom(int length) {
        ByteBuffer last = this.tail;
        int room = (last != null) ? last.capacity() - last.limit() : 0;
        if (length <= room) {
            return; // the common case: a small send that fits the last chunk
        }
        long missing = length - room - (long) this.spare.size() * LoopBuffers.CHUNK_SIZE;
        while (missing > 0) {
            this.spare.addLast(this.buffers.acquireChunk());
            missing -= LoopBuffers.CHUNK_SIZE;
        }
    }

    private ByteBuffer tailWithRoom() {
        ByteBuffer chunk = this.tail;
        if (chunk == null || chunk.limit() == chunk.capacity()) {
            ByteBuffer spareChunk = this.spare.pollFirst();
            chunk = ((spareChunk != null) ? spareChunk : this.buffers.acquireChunk()).limit(0);
            this.entries.addLast(chunk);
            this.tail = chunk;
        }
        return chunk;
    }

    /** Bytes a producer made: written as they are, never returned to the pool. */
    private record Produced(ByteBuffer buffer) {
    }

}
