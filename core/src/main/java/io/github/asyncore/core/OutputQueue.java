package io.github.asyncore.core;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The output a buffered dispatcher owes its peer, in order: byte buffers it owns, producers that make
 * more on demand (asynchat's {@code producer_fifo}), and a close marker (close-when-done). Counts the
 * bytes held in buffers. Loop thread only.
 */
final class OutputQueue {

    private static final Object CLOSE = new Object();

    private final ArrayDeque<Object> entries = new ArrayDeque<>();

    private long pendingBytes;

    boolean isEmpty() {
        return this.entries.isEmpty();
    }

    long pendingBytes() {
        return this.pendingBytes;
    }

    /** Adds bytes the queue now owns. */
    void add(ByteBuffer owned) {
        if (owned.hasRemaining()) {
            this.entries.addLast(owned);
            this.pendingBytes += owned.remaining();
        }
    }

    void add(Producer producer) {
        this.entries.addLast(producer);
    }

    void addClose() {
        this.entries.addLast(CLOSE);
    }

    /**
     * @return the next bytes to write, asking producers for more as needed; {@code null} when nothing is
     *         left before the close marker or the end
     */
    ByteBuffer head() {
        while (true) {
            Object first = this.entries.peekFirst();
            if (first == null || first == CLOSE) {
                return null;
            }
            if (first instanceof ByteBuffer buffer) {
                if (buffer.hasRemaining()) {
                    return buffer;
                }
                this.entries.pollFirst();
                continue;
            }
            ByteBuffer more = ((Producer) first).more();
            if (more == null || !more.hasRemaining()) {
                this.entries.pollFirst();
                continue;
            }
            this.entries.addFirst(more);
            this.pendingBytes += more.remaining();
            return more;
        }
    }

    /** Records that {@code count} bytes of {@code head} were written. */
    void written(ByteBuffer head, int count) {
        this.pendingBytes -= count;
        if (!head.hasRemaining()) {
            this.entries.pollFirst();
        }
    }

    /** @return whether everything before the close marker has been written */
    boolean atClose() {
        return this.entries.peekFirst() == CLOSE;
    }

    void clear() {
        this.entries.clear();
        this.pendingBytes = 0;
    }

}
