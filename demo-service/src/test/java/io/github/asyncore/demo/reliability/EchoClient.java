package io.github.asyncore.demo.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;

import io.github.asyncore.core.Dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A well-behaved echo client that times its round trips: writes a small message, reads it back whole,
 * every read bounded by a socket timeout.
 */
final class EchoClient implements AutoCloseable {

    private static final int MESSAGE_SIZE = 64;

    private final Socket socket;

    private final InputStream in;

    private final OutputStream out;

    private final byte[] message = new byte[MESSAGE_SIZE];

    private long sequence;

    EchoClient(int port) throws IOException {
        this.socket = connect(port);
        this.socket.setSoTimeout(5_000);
        this.in = this.socket.getInputStream();
        this.out = this.socket.getOutputStream();
    }

    /** @return a blocking socket connected to 127.0.0.1:port, the connect bounded to 5 s */
    static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        }
        catch (IOException ex) {
            socket.close();
            throw ex;
        }
        return socket;
    }

    static int port(Dispatcher listener) {
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    /** @return this client's port, which the server sees as the connection's remote port */
    int localPort() {
        return this.socket.getLocalPort();
    }

    /**
     * Makes {@code count} round trips one after the other, checking every echo.
     * @param count how many
     * @return their durations
     */
    Latencies roundTrips(int count) throws IOException {
        long[] nanos = new long[count];
        byte[] echo = new byte[MESSAGE_SIZE];
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Arrays.fill(this.message, (byte) this.sequence++);
            long start = System.nanoTime();
            this.out.write(this.message);
            this.out.flush();
            int read = this.in.readNBytes(echo, 0, MESSAGE_SIZE);
            nanos[i] = System.nanoTime() - start;
            assertThat(read).as("echo bytes of round trip %d", i).isEqualTo(MESSAGE_SIZE);
            assertThat(echo).as("echo of round trip %d", i).isEqualTo(this.message);
        }
        return new Latencies(nanos, System.nanoTime() - started);
    }

    @Override
    public void close() throws IOException {
        this.socket.close();
    }

    /** Round-trip times of one run. */
    static final class Latencies {

        private final long[] sorted;

        private final long totalNanos;

        Latencies(long[] nanos, long totalNanos) {
            this.sorted = nanos.clone();
            Arrays.sort(this.sorted);
            this.totalNanos = totalNanos;
        }

        /** @return the nearest-rank percentile */
        Duration percentile(double percent) {
            int rank = (int) Math.ceil(percent / 100 * this.sorted.length);
            return Duration.ofNanos(this.sorted[Math.max(0, rank - 1)]);
        }

        Duration p50() {
            return percentile(50);
        }

        Duration p99() {
            return percentile(99);
        }

        Duration max() {
            return Duration.ofNanos(this.sorted[this.sorted.length - 1]);
        }

        Duration total() {
            return Duration.ofNanos(this.totalNanos);
        }

        int count() {
            return this.sorted.length;
        }

        /**
         * The bound a p99 under load must keep: five times the baseline's p99 measured in the same run,
         * but never below {@code floor}, so that a very fast baseline (tens of microseconds on loopback)
         * does not turn scheduler noise on a loaded machine into a failure.
         */
        static Duration bound(Latencies baseline, Duration floor) {
            Duration relative = baseline.p99().multipliedBy(5);
            return (relative.compareTo(floor) > 0) ? relative : floor;
        }

        @Override
        public String toString() {
            return String.format("%d round trips in %.1f ms: p50 %.3f ms, p99 %.3f ms, max %.3f ms", count(),
                    millis(total()), millis(p50()), millis(p99()), millis(max()));
        }

        private static double millis(Duration duration) {
            return duration.toNanos() / 1e6;
        }

    }

}
