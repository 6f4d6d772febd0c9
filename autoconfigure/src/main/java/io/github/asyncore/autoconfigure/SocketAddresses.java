package io.github.asyncore.autoconfigure;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;

import io.github.asyncore.core.SocketType;

/**
 * Reads the {@code address} of a dispatcher from configuration: {@code 7007} (every IPv4 interface),
 * {@code :7007}, {@code host:7007}, {@code [::1]:7007}, or {@code unix:/path/to.sock}.
 */
final class SocketAddresses {

    private static final String UNIX = "unix:";

    private static final String FORMATS = "expected 'port', 'host:port', '[ipv6]:port' or 'unix:/path'";

    private SocketAddresses() {
    }

    /**
     * @param text the configured address
     * @param type the kind of socket it is for
     * @return the address, resolved
     * @throws IllegalArgumentException with the reason when the text is not a usable address
     */
    static SocketAddress parse(String text, SocketType type) {
        String address = text.strip();
        if (address.startsWith(UNIX)) {
            String path = address.substring(UNIX.length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "' names no socket file; " + FORMATS);
            }
            if (type == SocketType.DATAGRAM) {
                throw new IllegalArgumentException("'" + text + "': Unix-domain sockets can only be streams");
            }
            return UnixDomainSocketAddress.of(path);
        }
        int colon = address.lastIndexOf(':');
        String host = (colon >= 0) ? address.substring(0, colon) : "";
        int port = port(text, address.substring(colon + 1));
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("'" + text + "': write an IPv6 address in brackets; " + FORMATS);
        }
        if (host.isEmpty()) {
            return new InetSocketAddress(port);
        }
        InetSocketAddress resolved = new InetSocketAddress(host, port);
        if (resolved.isUnresolved()) {
            throw new IllegalArgumentException("'" + text + "': unknown host '" + host + "'");
        }
        return resolved;
    }

    /**
     * Reads the address a client connects to: the forms of {@link #parse}, where a port alone names this
     * machine's loopback address and the port must not be 0.
     * @param text the configured remote address
     * @param type the kind of socket it is for
     * @return the address, resolved
     * @throws IllegalArgumentException with the reason when the text is not an address to connect to
     */
    static SocketAddress parseRemote(String text, SocketType type) {
        SocketAddress address = parse(text, type);
        if (address instanceof InetSocketAddress inet) {
            if (inet.getPort() == 0) {
                throw new IllegalArgumentException("'" + text + "': a client cannot connect to port 0");
            }
            if (inet.getAddress().isAnyLocalAddress()) {
                return new InetSocketAddress(InetAddress.getLoopbackAddress(), inet.getPort());
            }
        }
        return address;
    }

    /** @return the protocol family to open a socket for the address with */
    static ProtocolFamily family(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress) {
            return StandardProtocolFamily.UNIX;
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        return (inet.getAddress() instanceof Inet6Address) ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    private static int port(String text, String digits) {
        try {
            int port = Integer.parseInt(digits);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        }
        catch (NumberFormatException ex) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' has no port from 0 to 65535; " + FORMATS);
    }

}
