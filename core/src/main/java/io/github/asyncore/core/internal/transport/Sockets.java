package io.github.asyncore.core.internal.transport;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every transport does alike with JDK sockets: options, quiet closes, error and address wording.
 */
public final class Sockets {

    private static final Logger logger = LoggerFactory.getLogger(Sockets.class);

    private Sockets() {
    }

    /** Sets {@code TCP_NODELAY} where the socket has it (not on Unix-domain sockets). */
    static void configureStream(SocketChannel socket) throws IOException {
        if (socket.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
    }

    /**
     * Asks for {@code SO_REUSEADDR}, which Unix-domain sockets do not have.
     * @param socket the socket
     * @param family its protocol family
     * @throws IOException when the option cannot be set
     */
    public static void reuseAddress(NetworkChannel socket, ProtocolFamily family) throws IOException {
        if (family != StandardProtocolFamily.UNIX) {
            socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        }
    }

    /**
     * Closes a JDK channel, logging a failure at debug level.
     * @param channel the channel; may be {@code null}
     */
    public static void closeQuietly(Channel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        }
        catch (IOException ex) {
            logger.debug("Closing {} failed", channel, ex);
        }
    }

    /**
     * @param owner who tried, for the message
     * @param action what was tried ("listen on", "bind")
     * @param address the address, or {@code null} for an ephemeral port
     * @param cause the JDK's exception
     * @return a bind failure that names the channel and the address
     */
    static BindException bindFailure(Object owner, String action, SocketAddress address, BindException cause) {
        BindException failure = new BindException(owner + ": cannot " + action + " "
                + ((address != null) ? format(address) : "an ephemeral port") + ": " + cause.getMessage());
        failure.initCause(cause);
        return failure;
    }

    /**
     * Formats an address for logs: {@code ip:port} ({@code host:port} when unresolved), {@code [v6]:port}
     * or a socket file's path.
     * @param address the address, may be {@code null}
     * @return the text
     */
    public static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.isUnresolved() ? inet.getHostString() : inet.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            return unix.getPath().toString().isEmpty() ? "(unnamed)" : unix.getPath().toString();
        }
        return String.valueOf(address);
    }

    /**
     * @param socket a connection
     * @return its peer's address, or {@code null} when the socket cannot tell
     */
    public static SocketAddress remoteAddressOf(SocketChannel socket) {
        try {
            return socket.getRemoteAddress();
        }
        catch (IOException ex) {
            return null;
        }
    }

}
