package io.github.asyncore.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loop thread allocates nothing per echoed message in steady state, statistics included: measured
 * with the JVM's per-thread allocation counter over a few hundred thousand messages after a warm-up.
 */
class AllocationTest {

    private static final int MESSAGE = 64;

    private static final int BATCH = 16;

    private final LoopFixture fixture = LoopFixture.started("allocation");

    @AfterEach
    void close() {
        this.fixture.close();
    }

    @Test
    void plainEchoAllocatesNothingPerMessage() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, Echo::new));
        assertThat(bytesPerMessage(listener, new byte[MESSAGE])).isLessThan(1.0);
    }

    @Test
    void lineEchoAllocatesNothingPerLine() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, LineEcho::new));
        byte[] line = new byte[MESSAGE];
        Arrays.fill(line, (byte) 'x');
        line[MESSAGE - 1] = '\n';
        assertThat(bytesPerMessage(listener, line)).isLessThan(1.0);
    }

    /** Echoes batches of messages (16 in flight), then measures the loop thread's allocation over more. */
    private double bytesPerMessage(TestListener listener, byte[] message) throws Exception {
        long loopThread = this.fixture.onLoop(() -> Thread.currentThread().getId());
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] batch = new byte[MESSAGE * BATCH];
        for (int i = 0; i < BATCH; i++) {
            System.arraycopy(message, 0, batch, i * MESSAGE, MESSAGE);
        }
        try (Socket client = new Socket(listener.address().getAddress(), listener.address().getPort())) {
            client.setSoTimeout(10_000);
            client.setTcpNoDelay(true);
            exchange(client, batch, 20_000); // warm-up: the JIT compiles the paths first
            long before = this.fixture.onLoop(() -> threads.getThreadAllocatedBytes(loopThread));
            int batches = 20_000;
            exchange(client, batch, batches);
            long after = this.fixture.onLoop(() -> threads.getThreadAllocatedBytes(loopThread));
            // the two onLoop tasks themselves allocate a little: a constant, not a cost per message
            double perMessage = (double) (after - before) / ((long) batches * BATCH);
            System.out.printf("loop thread allocated %d bytes for %d messages: %.4f bytes per message%n",
                    after - before, (long) batches * BATCH, perMessage);
            return perMessage;
        }
    }

    private static void exchange(Socket client, byte[] batch, int batches) throws Exception {
        OutputStream out = client.getOutputStream();
        InputStream in = client.getInputStream();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < batches; i++) {
                    out.write(batch);
                }
            }
            catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
        byte[] echoed = new byte[batch.length];
        for (int i = 0; i < batches; i++) {
            int read = in.readNBytes(echoed, 0, echoed.length);
            assertThat(read).isEqualTo(batch.length);
        }
        writer.get(10, TimeUnit.SECONDS);
    }

    /** The plain echo a user writes, with the allocation-free recv(). */
    static final class Echo extends BufferedDispatcher {

        Echo(SocketChannel channel) throws IOException {
            super(channel);
        }

        @Override
        public void handleRead() throws IOException {
            send(recv());
        }

    }

    /** The line echo a user writes with asynchat. */
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
