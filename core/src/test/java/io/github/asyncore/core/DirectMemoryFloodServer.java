package io.github.asyncore.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The server side of {@link DirectMemoryExhaustionTest}, run in a JVM of its own with a tiny
 * {@code -XX:MaxDirectMemorySize}: one loop with a subscriber listener, whose connections join a
 * {@link ChannelGroup} without output limits, and an echo listener; a thread that broadcasts 1 KiB lines to
 * the group, about 2 MB/s; the loop's output-memory ceiling out of the way, so that the
 * JVM's direct memory is what runs out. It prints, on standard output, {@code ports <subscribers> <echo>}
 * once listening, {@code closed <peer-port> <reason>} for every connection that closes, and
 * {@code stats ...} every 200 ms; it stops when its standard input ends, or after 60 s.
 */
public final class DirectMemoryFloodServer {

    private static final PrintStream out = System.out;

    private DirectMemoryFloodServer() {
    }

    public static void main(String[] args) throws Exception {
        ChannelMap map = new ChannelMap("direct-memory");
        EventLoop loop = map.eventLoop();
        map.setMaxOutputMemory(1L << 30);
        map.addChannelListener(new ChannelListener() {
            @Override
            public void channelClosed(ChannelSnapshot channel, CloseReason reason) {
                if (channel.remoteAddress() instanceof InetSocketAddress peer) {
                    print("closed " + peer.getPort() + " " + reason);
                }
            }
        });
        ChannelGroup<DiscardingConnection> subscribers = new ChannelGroup<>("subscribers");
        ChannelSettings unlimited = ChannelSettings.DEFAULTS.withOutputLimit(OutputLimit.NONE);
        Dispatcher subscriberListener = listen(map, unlimited, (channel) -> {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
            subscribers.add(new DiscardingConnection(channel));
        });
        Dispatcher echoListener = listen(map, unlimited, AllocationTest.Echo::new);
        loop.start();
        print("ports " + port(subscriberListener) + " " + port(echoListener));

        Thread broadcaster = new Thread(() -> broadcast(loop, subscribers), "broadcaster");
        broadcaster.setDaemon(true);
        broadcaster.start();
        ScheduledExecutorService stats = Executors.newSingleThreadScheduledExecutor();
        stats.scheduleAtFixedRate(() -> report(loop), 0, 200, TimeUnit.MILLISECONDS);
        Thread stdin = new Thread(DirectMemoryFloodServer::awaitEndOfInput, "stdin");
        stdin.setDaemon(true);
        stdin.start();
        stdin.join(TimeUnit.SECONDS.toMillis(60));
        print("stopping");
        stats.shutdownNow();
        map.close();
    }

    private static void broadcast(EventLoop loop, ChannelGroup<DiscardingConnection> subscribers) {
        byte[] line = new byte[1024];
        java.util.Arrays.fill(line, (byte) 'x');
        line[line.length - 1] = '\n';
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!subscribers.isEmpty()) {
                subscribers.broadcast(line);
            }
            LockSupport.parkNanos(250_000); // about 2 MB/s: what a reading subscriber keeps up with on a busy machine
        }
    }

    private static void report(EventLoop loop) {
        LoopSnapshot snapshot = loop.snapshot();
        print("stats running=" + snapshot.running() + " failure=" + snapshot.failure() + " memoryCloses="
                + snapshot.outputMemoryCloses() + " outputMemoryUsed=" + snapshot.outputMemoryUsed() + " channels="
                + snapshot.channels());
    }

    private static void awaitEndOfInput() {
        try {
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        }
        catch (IOException ex) {
            // the parent went away: stop as well
        }
    }

    private static Dispatcher listen(ChannelMap map, ChannelSettings settings, Adopter adopter) throws IOException {
        Dispatcher listener = new Dispatcher(map) {
            @Override
            public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
                adopter.adopt(channel);
            }
        };
        listener.setSettings(settings);
        listener.createSocket();
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        listener.listen(16);
        return listener;
    }

    private static int port(Dispatcher listener) {
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    private static synchronized void print(String line) {
        out.println(line);
        out.flush();
    }

    @FunctionalInterface
    private interface Adopter {

        void adopt(SocketChannel channel) throws IOException;

    }

}
