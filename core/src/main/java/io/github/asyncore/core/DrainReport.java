package io.github.asyncore.core;

import java.time.Duration;

/**
 * The outcome of {@link EventLoop#shutdownGracefully(Duration)}. Immutable; safe on any thread.
 *
 * @param listenersClosed listeners closed first, so that no new connection is accepted
 * @param drained channels closed after all their pending output was written
 * @param aborted channels closed at the deadline with output still pending
 * @param bytesUnsent pending output bytes of the aborted channels
 * @param took how long the drain took
 */
public record DrainReport(int listenersClosed, int drained, int aborted, long bytesUnsent, Duration took) {
}
