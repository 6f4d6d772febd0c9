package io.github.asyncore.benchmarks.resp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

import io.github.asyncore.core.ChannelSettings;
import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.EventLoopGroup;

/**
 * A Redis protocol server on one event loop (see the package), bound to 127.0.0.1:
 * {@code java -cp asyncore-benchmarks.jar -Dloader.main=io.github.asyncore.benchmarks.resp.RespServer
 * org.springframework.boot.loader.launch.PropertiesLauncher PORT [--max-frame-size BYTES]}.
 * <p>
 * One loop thread serves every connection and owns the data, as redis-server's main thread does. An
 * incomplete command may take up to the connections' {@link ChannelSettings#maxFrameSize() max-frame-size}
 * ({@value #DEFAULT_MAX_FRAME_SIZE} bytes unless told otherwise) before it is a protocol error.
 */
public final class RespServer implements AutoCloseable {

    /** The longest incomplete command a connection keeps, in bytes, unless {@code --max-frame-size} says. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 1024 * 1024;

    private final EventLoopGroup group;

    private final Dispatcher listener;

    private RespServer(EventLoopGroup group, Dispatcher listener) {
        this.group = group;
        this.listener = listener;
    }

    /**
     * Binds 127.0.0.1 and starts the loop.
     * @param port the port, 0 for any free one
     * @param maxFrameSize the longest incomplete command a connection keeps, in bytes
     * @return the running server
     * @throws IOException when the port cannot be bound
     */
    public static RespServer start(int port, int maxFrameSize) throws IOException {
        EventLoopGroup group = new EventLoopGroup("resp", 1);
        Loop loop = new Loop();
        Dispatcher listener = new Dispatcher(group.acceptor()) {
            @Override
            public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
                new RespConnection(channel, loop);
            }
        };
        try {
            listener.createSocket();
            listener.setReuseAddr();
            listener.bind(new InetSocketAddress("127.0.0.1", port));
            listener.listen(4096);
            listener.setSettings(listener.getSettings().withMaxFrameSize(maxFrameSize)); // inherited by connections
        }
        catch (IOException | RuntimeException ex) {
            group.close();
            throw ex;
        }
        group.start();
        return new RespServer(group, listener);
    }

    /** @return the port the server listens on */
    public int port() {
        return ((InetSocketAddress) this.listener.getLocalAddress()).getPort();
    }

    /** Closes the listener, every connection and the loop. */
    @Override
    public void close() {
        this.group.close();
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
        for (int i = 1; i < args.length; i++) {
            if ("--max-frame-size".equals(args[i]) && i + 1 < args.length) {
                maxFrameSize = Integer.parseInt(args[++i]);
            }
            else {
                throw new IllegalArgumentException("unknown option " + args[i] + " (PORT [--max-frame-size BYTES])");
            }
        }
        RespServer server = start(port, maxFrameSize);
        System.out.println("asyncore RESP server listening on 127.0.0.1:" + server.port() + " (max-frame-size "
                + maxFrameSize + " bytes)");
    }

    /**
     * What the connections of the loop share: the data, the parser, the reply buffer and the buffer a read
     * is parsed from. Loop thread only; each connection uses them only inside its own handler.
     */
    static final class Loop {

        private final RespCommands commands = new RespCommands(new RespStore());

        private final RespParser parser = new RespParser();

        private final RespReply reply = new RespReply();

        private byte[] scratch = new byte[ChannelSettings.DEFAULTS.receiveBufferSize()];

        RespCommands commands() {
            return this.commands;
        }

        RespParser parser() {
            return this.parser;
        }

        RespReply reply() {
            return this.reply;
        }

        /** @return the shared buffer a read is copied into, with room for at least {@code length} bytes */
        byte[] scratch(int length) {
            if (this.scratch.length < length) {
                this.scratch = new byte[length];
            }
            return this.scratch;
        }

    }

}
