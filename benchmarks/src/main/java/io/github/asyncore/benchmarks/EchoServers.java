package io.github.asyncore.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

import io.github.asyncore.core.AsyncChat;
import io.github.asyncore.core.BufferedDispatcher;
import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.EventLoopGroup;

/**
 * Echo servers on the core module alone (no Spring), for the shared load generator
 * ({@code ../shared/bench}):
 * {@code java -jar benchmarks/target/asyncore-benchmarks.jar PORT [--mode plain|line] [--threads N]}.
 * Plain mode echoes with a {@link BufferedDispatcher}; line mode echoes each {@code \n}-terminated line
 * with an {@link AsyncChat}. One loop thread unless told otherwise, bound to 127.0.0.1, statistics on as
 * always.
 */
public final class EchoServers {

    private EchoServers() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        boolean lines = false;
        int threads = 1;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--mode" -> lines = "line".equals(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        boolean lineMode = lines;
        EventLoopGroup group = new EventLoopGroup("bench", threads);
        ChannelMap map = group.acceptor();
        Dispatcher listener = new Dispatcher(map) {
            @Override
            public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
                if (lineMode) {
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
        System.out.println("asyncore " + (lines ? "line" : "plain") + " echo listening on 127.0.0.1:" + port + " with "
                + threads + " loop thread(s)");
        group.start();
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
