package io.github.asyncore.core;

/**
 * The traffic counted under one dispatcher name on one loop at one moment, for observers on any thread
 * (meters, health checks). A channel counts under its {@linkplain Dispatcher#getName() name}, except an
 * accepted connection, which counts under the name of the listener that accepted it (its own name, such as
 * {@code echoServer#7}, carries its id); a channel renamed with {@link Dispatcher#setName(String)} counts
 * under the new name from then on. So a listener and its connections share one entry, and so do clients of
 * one name. The Spring Boot starter names each dispatcher bean after the bean.
 * <p>
 * The counters are cumulative since the name was first counted on the loop, and stay when its channels
 * close. The loop's {@link LoopSnapshot} holds their sums over all names.
 *
 * @param loop the loop's name (also its map's name)
 * @param dispatcher the dispatcher name, or {@link ChannelMap#OTHER_DISPATCHERS} for the names past
 *        {@link ChannelMap#MAX_DISPATCHER_NAMES}
 * @param bytesRead bytes read
 * @param bytesWritten bytes written
 * @param connectionsAccepted connections accepted by listeners of this name
 * @param connectionsRejected connections accepted by listeners of this name and closed because setting them
 *        up failed (counted on the loop that was to serve them)
 * @param connectionsRefused connections closed at once because their listener had
 *        {@link ChannelSettings#maxConnections()} open
 * @param handlerErrors exceptions from handlers that reached {@link Dispatcher#handleError(Throwable)}
 * @param idleTimeouts idle timeouts that fired
 * @param connectTimeouts connect timeouts that fired
 * @param tlsHandshakes TLS handshakes that finished
 * @param tlsHandshakeFailures TLS handshakes that failed
 * @param outputHardLimitCloses channels closed because their pending output went over the hard
 *        {@linkplain OutputLimit output limit}
 * @param outputSoftLimitCloses channels closed because their pending output stayed over the soft output limit
 *        for its duration
 * @param outputMemoryCloses channels closed because their send needed output memory that the loop could not
 *        lend
 */
public record DispatcherTraffic(String loop, String dispatcher, long bytesRead, long bytesWritten,
        long connectionsAccepted, long connectionsRejected, long connectionsRefused, long handlerErrors,
        long idleTimeouts, long connectTimeouts, long tlsHandshakes, long tlsHandshakeFailures,
        long outputHardLimitCloses, long outputSoftLimitCloses, long outputMemoryCloses) {

    /** @return channels closed for their output, whichever bound they went past */
    public long outputLimitCloses() {
        return this.outputHardLimitCloses + this.outputSoftLimitCloses + this.outputMemoryCloses;
    }

}
