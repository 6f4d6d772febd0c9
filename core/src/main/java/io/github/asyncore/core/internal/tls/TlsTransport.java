package io.github.asyncore.core.internal.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executor;

import io.github.asyncore.core.ScheduledTask;
import io.github.asyncore.core.TlsStatus;
import io.github.asyncore.core.internal.loop.LogThrottle;

/**
 * Not API. The connection beneath a {@link TlsLayer}: the few things the layer needs from the channel it
 * encrypts. The layer knows nothing else of the channel; its {@code toString()} names the channel in the
 * layer's log lines and exception messages. Loop thread.
 */
public interface TlsTransport {

    /**
     * Reads ciphertext off the socket, counting it as the channel's traffic.
     * @param dst where to put it
     * @return bytes read, 0 when none were waiting, -1 at end-of-stream
     * @throws IOException on socket errors
     */
    int readSocket(ByteBuffer dst) throws IOException;

    /**
     * Writes ciphertext to the socket, counting it as the channel's traffic.
     * @param src what to write
     * @return bytes written, 0 when the socket buffer is full
     * @throws IOException on socket errors
     */
    int writeSocket(ByteBuffer src) throws IOException;

    /**
     * The first handshake finished: publish the session's protocol and suite and count the handshake.
     * @param status what observers see from now on
     */
    void handshakeFinished(TlsStatus status);

    /** Counts a failed handshake. */
    void handshakeFailed();

    /**
     * Runs an action for this channel's current socket after a delay (the handshake timeout); it does
     * not run once the channel has closed or been given a new socket.
     * @param delay how long to wait
     * @param action what to run, on the loop thread, with the channel's error routing
     * @return the timer, to cancel
     */
    ScheduledTask schedule(Duration delay, Runnable action);

    /**
     * Reports an error that ends the channel through its error path, then closes it.
     * @param error what went wrong (a handshake timeout)
     */
    void failAndClose(IOException error);

    /**
     * @return where the handshake's engine work runs (certificate checks, key agreement: about a millisecond
     *         each), off the loop thread; {@code null} to run them on the loop
     */
    Executor handshakeExecutor();

    /**
     * The work handed to {@link #handshakeExecutor()} finished: the loop should call
     * {@link TlsLayer#offloadDone()} and drive the handshake on, as on a ready event. Called on the executor's
     * thread; the channel hands it to its loop (and does nothing once it has closed).
     */
    void resumeHandshake();

    /** @return the loop's throttle of failed-handshake log lines */
    LogThrottle handshakeFailureLog();

}
