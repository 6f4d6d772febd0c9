package io.github.asyncore.core.internal.channel;

import io.github.asyncore.core.CloseReason;
import io.github.asyncore.core.OutputLimit;

/** Which bound a channel's output went past; each closes the channel with {@link CloseReason#OUTPUT_LIMIT}. */
public enum OutputOverflow {

    /** Pending output above the {@linkplain OutputLimit#hard() hard limit}. */
    HARD,

    /** Pending output above the {@linkplain OutputLimit#soft() soft limit} for its whole duration. */
    SOFT,

    /** No output memory: the loop's ceiling, or the JVM's direct memory, allowed no more. */
    MEMORY

}
