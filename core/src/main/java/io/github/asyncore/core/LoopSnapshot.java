package io.github.asyncore.core;

import java.time.Duration;
import java.time.Instant;

/**
 * What one event loop looked like at one moment, for observers on any thread (health checks, metrics).
 * The counters are cumulative since the loop was created. Those of traffic (bytes, connections, handler
 * errors, timeouts, TLS handshakes, output-limit closes) add up what is counted per dispatcher name, which
 * {@link ChannelMap#traffic()} tells apart.
 *
 * @param name the loop's name (also its map's name)
 * @param thread the name of the thread running the loop, or {@code null} when none does
 * @param running whether a thread is running the loop now
 * @param channels channels in the loop's map
 * @param iterations select iterations completed
 * @param pendingTasks tasks handed in with {@link EventExecutor#execute(Runnable)} and not yet run
 * @param scheduledTimers timers waiting for their deadline (cancelled ones included until then)
 * @param stalls handler, task or timer runs that took longer than the stall threshold
 * @param handlerErrors exceptions from handlers that reached {@link Dispatcher#handleError(Throwable)}
 * @param idleTimeouts idle timeouts that fired
 * @param connectTimeouts connect timeouts that fired
 * @param bytesRead bytes read by the loop's channels
 * @param bytesWritten bytes written by the loop's channels
 * @param connectionsAccepted connections accepted by the loop's listeners
 * @param connectionsRejected accepted connections closed because setting them up failed
 * @param connectionsRefused connections closed at once because their listener had
 *        {@link ChannelSettings#maxConnections()} open
 * @param tlsHandshakes TLS handshakes that finished, on connections and clients of the loop
 * @param tlsHandshakeFailures TLS handshakes that failed: refused certificates, timeouts, garbage
 *        instead of a handshake, or a peer that closed the connection after starting one
 * @param outputHardLimitCloses channels closed because their pending output went over the hard
 *        {@linkplain OutputLimit output limit}
 * @param outputSoftLimitCloses channels closed because their pending output stayed over the soft output
 *        limit for its duration
 * @param outputMemoryCloses channels closed because their send needed output memory that the loop's
 *        ceiling or the JVM's direct memory could not give
 * @param outputMemoryUsed bytes of output memory (pooled direct chunks) lent to the loop's channels now
 * @param maxOutputMemory the most output memory the loop lends at once ({@link ChannelMap#setMaxOutputMemory})
 * @param handlerRuns I/O handler calls (one per ready channel per iteration)
 * @param handlerTime the time those calls took together
 * @param busyFor how long the handler, task or timer running right now has been running;
 *        {@link Duration#ZERO} when the loop is waiting or between callbacks
 * @param stallThreshold the run time above which a callback counts as a stall
 * @param failure the error that ended the loop thread, or {@code null} if it did not fail
 * @param stoppedAt when the last run of the loop ended, or {@code null} while one runs or before the first
 * @param busyTime the time spent in handlers, tasks and timers since the loop was created, the callback
 *        running now included
 * @param busyFraction the share of wall time the loop was busy over the last second or more (between two
 *        readings of any observer at least a second apart), between 0 and 1
 * @param spinningWriters channels flagged because their {@code writable()} stayed true while nothing was
 *        written (the loop spins)
 * @param stuckReaders channels flagged because their {@code readable()} stayed false while input waited
 */
public record LoopSnapshot(String name, String thread, boolean running, int channels, long iterations,
        int pendingTasks, int scheduledTimers, long stalls, long handlerErrors, long idleTimeouts,
        long connectTimeouts, long bytesRead, long bytesWritten, long connectionsAccepted,
        long connectionsRejected, long connectionsRefused, long tlsHandshakes, long tlsHandshakeFailures,
        long outputHardLimitCloses, long outputSoftLimitCloses, long outputMemoryCloses, long outputMemoryUsed,
        long maxOutputMemory, long handlerRuns, Duration handlerTime, Duration busyFor,
        Duration stallThreshold, Throwable failure, Instant stoppedAt, Duration busyTime, double busyFraction,
        long spinningWriters, long stuckReaders) {

    /** @return channels closed for their output, whichever bound they went past */
    public long outputLimitCloses() {
        return this.outputHardLimitCloses + this.outputSoftLimitCloses + this.outputMemoryCloses;
    }

    /** @return whether the callback running now has run longer than the stall threshold */
    public boolean stalled() {
        return this.busyFor.compareTo(this.stallThreshold) > 0;
    }

}
