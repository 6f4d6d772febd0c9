package io.github.asyncore.core;

import java.nio.ByteBuffer;

/**
 * asynchat's producer: output made on demand, so that a large or generated response need not sit in
 * memory whole. {@link AsyncChat#pushWithProducer(Producer)} queues one; the loop asks it for more each
 * time the bytes before it have been written.
 * <p>
 * Called on the loop thread only.
 */
@FunctionalInterface
public interface Producer {

    /**
     * Returns the next bytes to send. The channel takes ownership of the buffer: return a new one (or one
     * you no longer touch) each time.
     * @return the next bytes, or an empty buffer (or {@code null}) when the producer is exhausted
     */
    ByteBuffer more();

}
