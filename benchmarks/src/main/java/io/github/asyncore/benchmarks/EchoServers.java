package io.github.asyncore.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

import io.github.asyncore.core.AsyncChat;
import io.github.asyncore.core.BufferedDispatcher;
import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.Dispatcher;

/**
 * Echo servers on the core module alone (no Spring), for the shared load generator
 * ({@code ../shared/bench}): {@code java -jar benchmarks/target/asyncore-benchmarks.jar PORT [--mode plain|line]}.
 * Plain mode echoes with a {@link BufferedDispatcher}; line mode echoes each {@code \n}-terminated line
 * with an {@link AsyncChat}. One loop thread, bound to 127.0.0.1, statistics on as always.
 */
public final class EchoServers {

    private EchoServers() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        boolean lines = args.length > 2 && "--mode".equals(args[1]) && "line".equals(args[2]);
        ChannelMap map = new ChannelMap("bench");
        Dispatcher listener = new Dispatcher(map) {
            @Override
            public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
                if (lines) {
                    new LineEcho(channel);
                }
                else {
                    new Echo(channel);
                }
            }
        };
        listener.createSocket();
        listener.setReuseAddr();
        listener.bind(new InetSocketAddress("127.0.0.1", port));
        listener.listen(4096);
        System.out.println("asyncore " + (lines ? "line" : "plain") + " echo listening on 127.0.0.1:" + port);
        map.eventLoop().run();
    }

    /** Plain echo, as a user writes it, with the allocation-free {@code recv()}. */
    static final class Echo extends BufferedDispatcher {

        Echo(SocketChannel channel) throws IOException {
            super(channel);
        }

        @Override
        public void handleRead() throws IOException {
            send(recv()); // the loop's read buffer, copied only if it cannot be written at once
        }

    }

    /** Line echo, as a user writes it with asynchat, with the allocation-free {@code takeDataBuffer()}. */
    static final class LineEcho extends AsyncChat {

        private static final byte[] NEWLINE = { '\n' };

        LineEcho(SocketChannel channel) throws IOException {
            super(channel);
            setTerminator("\n");
        }

        @Override
        public void foundTerminator() throws IOException {
            push(takeDataBuffer());
            push(NEWLINE);
        }

    }

}
