package io.github.asyncore.demo.fetch;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.ChannelSettings;
import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.SocketType;
import io.github.asyncore.core.TlsSettings;

/**
 * The seed's {@code http_client}, line for line: an HTTP/1.0 GET that is {@link #writable()} while the
 * request is unsent and copies the response to an output stream until the server closes.
 * <p>
 * Construct it on the loop thread of its map (or before that loop runs); its handlers run there.
 */
public class HttpClient extends Dispatcher {

    private final ByteBuffer buffer;

    private final OutputStream out;

    /**
     * Connects to the server and queues {@code GET path}.
     * @param server the server's address; its host string goes into the {@code Host} header
     * @param path the path to fetch
     * @param out where the raw response (status line, headers, body) goes
     * @param map the map whose loop runs the client
     * @throws IOException when the socket cannot be created or the connect fails at once
     */
    public HttpClient(InetSocketAddress server, String path, OutputStream out, ChannelMap map) throws IOException {
        this(server, hostHeader(server.getHostString(), server.getPort(), 80), path, out, map,
                ChannelSettings.DEFAULTS, null);
    }

    /**
     * As {@link #HttpClient(InetSocketAddress, String, OutputStream, ChannelMap)}, with timeouts and
     * limits set before the connect starts.
     * @param server the server's address, IPv4 or IPv6
     * @param host the {@code Host} header: the URL's host, and its port unless it is the scheme's default
     * @param path the path to fetch, percent-encoded (ASCII only)
     * @param out where the raw response (status line, headers, body) goes
     * @param map the map whose loop runs the client
     * @param settings the client's connect timeout, idle timeouts and limits
     * @param tls TLS for an {@code https://} server ({@link #handleConnect()} then comes after the handshake),
     *        or {@code null} for plain HTTP
     * @throws IOException when the socket cannot be created or the connect fails at once
     */
    protected HttpClient(InetSocketAddress server, String host, String path, OutputStream out, ChannelMap map,
            ChannelSettings settings, TlsSettings tls) throws IOException {
        super(map);
        this.out = out;
        setSettings(settings);
        createSocket((server.getAddress() instanceof Inet6Address) ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET, SocketType.STREAM);
        if (tls != null) {
            setTls(tls);
        }
        connect(server);
        this.buffer = ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * @param host a host name or address, as a URL has it (IPv6 with or without brackets)
     * @param port the server's port
     * @param defaultPort the scheme's port, left out of the header
     * @return the {@code Host} header's value: IPv6 addresses in brackets, the port unless it is the default
     */
    static String hostHeader(String host, int port, int defaultPort) {
        String name = (host.indexOf(':') >= 0 && !host.startsWith("[")) ? "[" + host + "]" : host;
        return (port == defaultPort) ? name : name + ":" + port;
    }

    @Override
    public void handleConnect() {
    }

    @Override
    public void handleClose() {
        close();
    }

    @Override
    public void handleRead() throws IOException {
        this.out.write(recv(8192));
    }

    @Override
    public boolean writable() {
        return this.buffer.hasRemaining();
    }

    @Override
    public void handleWrite() throws IOException {
        send(this.buffer);
    }

}
