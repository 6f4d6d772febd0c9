package io.github.asyncore.core.internal.transport;

import java.io.IOException;

/**
 * The peer closed the connection in the middle of a step of the protocol (a TLS handshake): a disconnect,
 * which reaches {@code handleClose()}, not an error to log; load balancers and port probes do it all the
 * time. {@link DisconnectErrors} classifies it so.
 */
public final class PeerClosedException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what the peer left in the middle of
     */
    public PeerClosedException(String message) {
        super(message);
    }

}
