package io.github.asyncore.core.internal.transport;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.util.List;
import java.util.Locale;

/**
 * asyncore's {@code _DISCONNECTED} set: the errors that mean "the peer is gone" and become
 * {@code Dispatcher.handleClose()} rather than {@code Dispatcher.handleError(Throwable)}. The JDK does
 * not expose errno, so the socket errors are recognised by the messages the JDK gives them on Linux,
 * macOS and Windows.
 */
public final class DisconnectErrors {

    // ECONNRESET, EPIPE, ECONNABORTED, ENOTCONN, ESHUTDOWN as the JDK words them.
    private static final List<String> MESSAGES = List.of("connection reset", "broken pipe",
            "connection aborted", "connection was aborted", "software caused connection abort",
            "not connected", "transport endpoint is not connected", "after transport endpoint shutdown",
            "forcibly closed by the remote host");

    private DisconnectErrors() {
    }

    public static boolean isDisconnect(Throwable error) {
        if (error instanceof ClosedChannelException || error instanceof NotYetConnectedException) {
            return true; // EBADF and ENOTCONN
        }
        if (error instanceof PeerClosedException) {
            return true; // a port probe or a client that gave up: the peer is gone, nothing to report
        }
        if (!(error instanceof IOException) || error.getMessage() == null) {
            return false;
        }
        String message = error.getMessage().toLowerCase(Locale.ROOT);
        for (String disconnect : MESSAGES) {
            if (message.contains(disconnect)) {
                return true;
            }
        }
        return false;
    }

}
