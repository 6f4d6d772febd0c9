package io.github.asyncore.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** The dispatchers and blocking clients the TLS tests use. */
final class TlsPeers {

    static final int READ_TIMEOUT_MILLIS = 10_000;

    private TlsPeers() {
    }

    /** A listener that serves every accepted connection with the dispatcher the factory makes. */
    static final class Listener extends Dispatcher {

        private final Factory factory;

        Listener(ChannelMap map, TlsSettings tls, Factory factory) throws IOException {
            super(map);
            this.factory = factory;
            createSocket();
            setReuseAddr();
            bind(LoopFixture.loopback());
            listen(16);
            setTls(tls);
        }

        int port() {
            return ((InetSocketAddress) getLocalAddress()).getPort();
        }

        @Override
        public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
            this.factory.create(channel);
        }

    }

    @FunctionalInterface
    interface Factory {

        Dispatcher create(SocketChannel channel) throws IOException;

    }

    /** asyncore's echo: what it reads, it sends back. */
    static final class Echo extends BufferedDispatcher {

        Echo(SocketChannel channel) throws IOException {
            super(channel);
        }

        @Override
        public void handleRead() throws IOException {
            send(recv());
        }

    }

    /** asynchat's line echo. */
    static class LineEcho extends AsyncChat {

        LineEcho(SocketChannel channel) throws IOException {
            super(channel);
            setTerminator("\n");
        }

        @Override
        public void foundTerminator() throws IOException {
            push(takeData());
            push(new byte[] { '\n' });
        }

    }

    /**
     * Our own TLS client: sends a message once connected (after the handshake) and collects the answer;
     * {@link #result} completes with the answer once {@code expected} bytes (by default the message's
     * length) arrived, or exceptionally with the error that ended the channel.
     */
    static final class Client extends BufferedDispatcher {

        final CompletableFuture<byte[]> result = new CompletableFuture<>();

        final CompletableFuture<TlsStatus> connected = new CompletableFuture<>();

        private final byte[] message;

        private final int expected;

        private final ByteArrayOutputStream received = new ByteArrayOutputStream();

        Client(ChannelMap map, TlsSettings tls, byte[] message) throws IOException {
            this(map, tls, message, message.length);
        }

        Client(ChannelMap map, TlsSettings tls, byte[] message, int expected) throws IOException {
            super(map);
            this.message = message;
            this.expected = expected;
            createSocket();
            setTls(tls);
        }

        @Override
        public void handleConnect() throws IOException {
            this.connected.complete(getTlsStatus());
            send(this.message);
        }

        @Override
        public void handleRead() throws IOException {
            ByteBuffer data = recv();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            this.received.write(bytes);
            if (this.received.size() >= this.expected) {
                this.result.complete(this.received.toByteArray());
                close();
            }
        }

        @Override
        public void handleError(Throwable error) {
            this.result.completeExceptionally(error);
            this.connected.completeExceptionally(error);
            super.handleError(error);
        }

        @Override
        public void handleClose() throws IOException {
            this.result.completeExceptionally(new IOException("closed after " + this.received.size() + " bytes"));
            this.connected.completeExceptionally(new IOException("closed before the handshake finished"));
            close();
        }

    }

    /**
     * A blocking JDK client that verifies the server's certificate against the host name, as an HTTPS
     * client would.
     */
    static SSLSocket jdkClient(SSLContext context, int port, Function<SSLParameters, SSLParameters> customizer)
            throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(customizer.apply(parameters));
        return socket;
    }

    static SSLSocket jdkClient(SSLContext context, int port) throws IOException {
        return jdkClient(context, port, Function.identity());
    }

}
