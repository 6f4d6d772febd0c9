package io.github.asyncore.core.internal.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The buffers one loop lends its channels, so that idle channels hold none and steady traffic allocates
 * none: one direct read buffer shared by every channel (reads happen one at a time on a loop thread), and
 * a pool of direct chunks for queued output.
 * <p>
 * Output memory is bounded: the chunks lent to channels at once may not pass a ceiling
 * ({@code ChannelMap.setMaxOutputMemory(long)}), and a chunk the JVM cannot allocate (its direct memory,
 * {@code -XX:MaxDirectMemorySize}, is used up) is refused the same way, with an
 * {@link OutputMemoryExhaustedException} for the channel that asked. After the JVM refused, the loop
 * does not ask it again for a second, or until half the chunks lent then came back: each refusal costs
 * the asking thread the JVM's own wait for the garbage collector (up to about half a second).
 * <p>
 * Loop thread only (or the thread setting up a loop that no thread runs yet), except the two figures,
 * which observers read from any thread.
 */
public final class LoopBuffers {

    /** The default of {@link #setMaxLentBytes(long)}: 64 MiB. */
    public static final long DEFAULT_MAX_LENT_BYTES = 64L * 1024 * 1024;

    /** Size of one output chunk: a few socket writes' worth. */
    public static final int CHUNK_SIZE = 16 * 1024;

    /** Chunks kept for reuse (4 MiB); more are allocated when needed and left to the garbage collector after. */
    private static final int MAX_POOLED_CHUNKS = 256;

    private static final int MIN_READ_BUFFER = 64 * 1024;

    private static final long REFUSAL_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();

    private ByteBuffer readBuffer;

    /**
     * Bytes in chunks lent to output queues now. Written by the loop thread only, with opaque writes: an
     * observer on another thread sees a recent value, and the loop pays no fence per chunk.
     */
    private long lentBytes;

    private static final VarHandle LENT;

    static {
        try {
            LENT = MethodHandles.lookup().findVarHandle(LoopBuffers.class, "lentBytes", long.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private volatile long maxLentBytes = DEFAULT_MAX_LENT_BYTES;

    /** Lent bytes when the JVM last refused a chunk, or -1. */
    private long refusedAtBytes = -1;

    private long refusedAtNanos;

    /** @return the shared read buffer, cleared, with at least {@code capacity} bytes of room */
    public ByteBuffer readBuffer(int capacity) {
        ByteBuffer buffer = this.readBuffer;
        if (buffer == null || buffer.capacity() < capacity) {
            buffer = ByteBuffer.allocateDirect(Math.max(capacity, MIN_READ_BUFFER));
            this.readBuffer = buffer;
        }
        return buffer.clear();
    }

    /**
     * @return an empty chunk in write mode, counted as lent until {@link #releaseChunk} takes it back
     * @throws OutputMemoryExhaustedException when the ceiling or the JVM's direct memory allows no more
     */
    public ByteBuffer acquireChunk() {
        long lent = this.lentBytes;
        long ceiling = this.maxLentBytes;
        if (lent + CHUNK_SIZE > ceiling) {
            throw new OutputMemoryExhaustedException("the loop's output memory is used up: " + lent
                    + " bytes lent to channels, max-output-memory " + ceiling + " bytes", null);
        }
        ByteBuffer chunk = this.chunks.pollFirst();
        if (chunk == null) {
            chunk = allocateChunk(lent);
        }
        LENT.setOpaque(this, lent + CHUNK_SIZE);
        return chunk;
    }

    /** Takes a chunk back from an output queue. */
    public void releaseChunk(ByteBuffer chunk) {
        long lent = this.lentBytes - CHUNK_SIZE;
        LENT.setOpaque(this, lent);
        if (this.refusedAtBytes >= 0 && lent <= this.refusedAtBytes / 2) {
            this.refusedAtBytes = -1;
        }
        if (this.chunks.size() < MAX_POOLED_CHUNKS) {
            this.chunks.addFirst(chunk.clear());
        }
    }

    /** @return bytes in chunks lent to channels now; any thread */
    public long lentBytes() {
        return (long) LENT.getOpaque(this);
    }

    /** @return the most bytes that may be lent at once; any thread */
    public long maxLentBytes() {
        return this.maxLentBytes;
    }

    public void setMaxLentBytes(long maxLentBytes) {
        this.maxLentBytes = maxLentBytes;
    }

    private ByteBuffer allocateChunk(long lent) {
        if (this.refusedAtBytes >= 0) {
            if (System.nanoTime() - this.refusedAtNanos < REFUSAL_BACKOFF_NANOS) {
                throw new OutputMemoryExhaustedException("the JVM's direct buffer memory is used up (refused at "
                        + this.refusedAtBytes + " bytes lent to channels; " + lent + " now)", null);
            }
            this.refusedAtBytes = -1;
        }
        try {
            return ByteBuffer.allocateDirect(CHUNK_SIZE);
        }
        catch (OutOfMemoryError ex) {
            if (!OutputMemoryExhaustedException.isDirectMemoryError(ex)) {
                throw ex;
            }
            this.refusedAtBytes = lent;
            this.refusedAtNanos = System.nanoTime();
            throw new OutputMemoryExhaustedException("the JVM's direct buffer memory is used up (" + ex.getMessage()
                    + "; " + lent + " bytes lent to channels)", ex);
        }
    }

}
