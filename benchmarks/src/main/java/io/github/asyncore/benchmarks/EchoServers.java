package io.github.asyncore.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

import io.github.asyncore.core.AsyncChat;
import io.github.asyncore.core.BufferedDispatcher;
import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.core.LoopSnapshot;
import io.github.asyncore.core.TlsSettings;

/**
 * Echo servers on the core module alone (no Spring), for the shared load generator
 * ({@code ../shared/bench}):
 * {@code java -jar benchmarks/target/asyncore-benchmarks.jar PORT [--mode plain|line] [--threads N]
 * [--tls --keystore PATH --storepass PASSWORD]}.
 * Plain mode echoes with a {@link BufferedDispatcher}; line mode echoes each {@code \n}-terminated line
 * with an {@link AsyncChat}. One loop thread unless told otherwise, bound to 127.0.0.1, statistics on as
 * always. With {@code --tls} the listener gets {@link TlsSettings#server(javax.net.ssl.SSLContext)} over the
 * PKCS12 key store's key and certificate (JDK provider, the JDK's default protocols and cipher suites), and
 * every accepted connection speaks TLS; the echo code does not change (the TLS echo benchmark,
 * {@code benchmarks/scripts/tls-compare.sh}, with {@link TlsLoadGenerator} and {@link NettyTlsEcho}). On SIGTERM it prints what its loop threads allocated in the whole run (start-up and warm-up
 * included) per 64 bytes echoed, the size of one message in the harness's small-message scenarios.
 */
public final class EchoServers {

    private EchoServers() {
    }

    public static void main(String[] args) throws IOException, GeneralSecurityException {
        int port = Integer.parseInt(args[0]);
        boolean lines = false;
        int threads = 1;
        boolean tls = false;
        String keystore = null;
        String storepass = "";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--mode" -> lines = "line".equals(value(args, ++i));
                case "--threads" -> threads = Integer.parseInt(value(args, ++i));
                case "--tls" -> tls = true;
                case "--keystore" -> keystore = value(args, ++i);
                case "--storepass" -> storepass = value(args, ++i);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (tls && keystore == null) {
            throw new IllegalArgumentException("--tls needs --keystore PATH (PKCS12) and --storepass PASSWORD");
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
        if (tls) {
            listener.setTls(TlsSettings.server(TlsMaterial.serverContext(Path.of(keystore), storepass.toCharArray())));
        }
        System.out.println("asyncore " + (lines ? "line" : "plain") + (tls ? " TLS" : "") + " echo listening on 127.0.0.1:"
                + port + " with " + threads + " loop thread(s)");
        group.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> reportAllocation(group), "allocation-report"));
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }

    /** Prints each loop thread's allocated bytes against the bytes it echoed. */
    private static void reportAllocation(EventLoopGroup group) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
            .getThreadMXBean();
        for (LoopSnapshot loop : group.loopSnapshots()) {
            Thread thread = Thread.getAllStackTraces().keySet().stream()
                .filter((candidate) -> candidate.getName().equals(loop.thread()))
                .findFirst()
                .orElse(null);
            if (thread == null) {
                continue;
            }
            long allocated = threads.getThreadAllocatedBytes(thread.getId());
            long messages = loop.bytesWritten() / 64;
            System.out.printf("%s allocated %d bytes while echoing %d bytes (%d 64-byte messages): %.4f bytes per"
                    + " message%n", loop.thread(), allocated, loop.bytesWritten(), messages,
                    (messages > 0) ? (double) allocated / messages : 0.0);
        }
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
