package io.github.asyncore.core;

/**
 * High and low marks, in bytes, for the output a {@link BufferedDispatcher} holds for a peer. Once the
 * pending output rises above the high mark the dispatcher stops reading (its evaluated readable state
 * is false) until the peer has taken enough that the output falls to the low mark or below; so a peer
 * that never reads cannot make a server buffer without bound.
 * <p>
 * Immutable and safe to share between threads.
 *
 * @param low the mark at or below which reading resumes, in bytes, at least 0
 * @param high the mark above which reading pauses, in bytes, at least {@code low}
 */
public record WriteBufferWaterMark(int low, int high) {

    /** 32 KiB low, 64 KiB high: room for a few socket buffers of output per channel. */
    public static final WriteBufferWaterMark DEFAULT = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    /**
     * Checks the marks.
     * @throws IllegalArgumentException when {@code low} is negative or above {@code high}
     */
    public WriteBufferWaterMark {
        if (low < 0) {
            throw new IllegalArgumentException("write buffer low water mark must be 0 or more, was " + low);
        }
        if (low > high) {
            throw new IllegalArgumentException(
                    "write buffer low water mark (" + low + ") must not be above the high water mark (" + high + ")");
        }
    }

}
