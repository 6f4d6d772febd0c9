package io.github.asyncore.core.internal.loop;



/**
 * Thrown by {@link LoopBuffers#acquireChunk()} when a channel's output needs another chunk and neither the
 * loop's ceiling nor the JVM's direct memory allows one. Internal: the channel that asked is closed with
 * {@code CloseReason.OUTPUT_LIMIT}; callers never see it.
 */
public final class OutputMemoryExhaustedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OutputMemoryExhaustedException(String message, Throwable cause) {
        super(message, cause, false, false); // thrown under memory pressure: no stack trace to fill
    }

    /**
     * @param error any error
     * @return whether it is the JVM refusing direct buffer memory ({@code -XX:MaxDirectMemorySize}): the
     *         heap is intact, so the loop can go on once the channel that asked is closed
     */
    public static boolean isDirectMemoryError(Throwable error) {
        if (!(error instanceof OutOfMemoryError)) {
            return false;
        }
        String message = error.getMessage();
        return message != null && message.contains("irect buffer memory");
    }

}
