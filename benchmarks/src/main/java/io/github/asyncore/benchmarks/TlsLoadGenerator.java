package io.github.asyncore.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * TLS load generator for the TLS echo benchmark ({@code benchmarks/scripts/tls-compare.sh}); the shared
 * harness's C load generator has no TLS.
 * <p>
 * Opens {@code -c} connections (default 64) to an echo server on 127.0.0.1, each a JDK {@link SSLSocket}
 * on its own thread that trusts only the certificate of the given PKCS12 key store and checks it against
 * the host name ({@code 127.0.0.1}, the certificate's IP SAN). All handshakes finish before the clock
 * starts. Then each connection sends an {@code -s}-byte message (default 64; pseudo-random bytes), reads
 * the echo, verifies every byte, and sends the next one: one message in flight per connection. The first
 * {@code -w} seconds (default 2) are warm-up, the next {@code -t} seconds (default 5) are measured; a
 * message counts when its echo completes inside the measured window. Every wait is bounded (10 s socket
 * timeout, 60 s for all handshakes).
 * <p>
 * Prints one line of {@code key=value} words:
 * <ul>
 * <li>{@code msgs_per_s} echoed messages per second, {@code mb_per_s} echoed payload (10^6 bytes/s);</li>
 * <li>{@code p50_us}, {@code p99_us}, {@code p999_us}: round-trip latency (send start to last echoed byte)
 * in microseconds;</li>
 * <li>{@code errors} (I/O errors, handshake failures, early end-of-stream) and {@code mismatches} (echoed
 * bytes that differ from those sent); a connection stops at its first one;</li>
 * <li>with {@code --server-pid PID}: {@code server_cpu_s} (the server's user + system CPU seconds, all
 * threads, from {@code /proc/PID/stat}, read at the window's start and end; left out if it cannot be read
 * then) and {@code server_us_per_msg} (that CPU time in microseconds per echoed message);</li>
 * <li>{@code client_cpu_s} (this process's CPU seconds in the window), {@code busy_cores} (all CPUs' busy
 * time from {@code /proc/stat}, in cores), {@code foreign_cores} (busy less server less client: other
 * work on the machine), {@code steal_cores};</li>
 * <li>{@code protocol} and {@code cipher} negotiated (of the first connection) and {@code handshake_s}
 * (wall time for all connections to connect and finish their handshakes).</li>
 * </ul>
 * Exit status 1 on any error or mismatch, 0 otherwise.
 * <p>
 * {@code java -cp asyncore-benchmarks.jar -Dloader.main=io.github.asyncore.benchmarks.TlsLoadGenerator
 * org.springframework.boot.loader.launch.PropertiesLauncher -p PORT --keystore PATH --storepass PASSWORD
 * [-c 64] [-s 64] [-w 2] [-t 5] [--server-pid PID] [--clk-tck 100] [--protocol TLSv1.3]
 * [--cipher TLS_AES_128_GCM_SHA256]}. {@code --cipher} and {@code --protocol} restrict what the client
 * offers, so that every server negotiates the same suite whatever its own preference order.
 */
public final class TlsLoadGenerator {

    private static final int SOCKET_TIMEOUT_MS = 10_000;

    private static final int POOL_SLACK = 4096;

    private TlsLoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = -1;
        int connections = 64;
        int size = 64;
        double warmSeconds = 2;
        double seconds = 5;
        long serverPid = -1;
        long clockTicks = 100;
        String keystore = null;
        String storepass = "";
        String protocol = "TLSv1.3";
        String cipher = "TLS_AES_128_GCM_SHA256";
        for (int i = 0; i < args.length; i++) {
            String value = (i + 1 < args.length) ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i++]) {
                case "-p" -> port = Integer.parseInt(value);
                case "-c" -> connections = Integer.parseInt(value);
                case "-s" -> size = Integer.parseInt(value);
                case "-w" -> warmSeconds = Double.parseDouble(value);
                case "-t" -> seconds = Double.parseDouble(value);
                case "--server-pid" -> serverPid = Long.parseLong(value);
                case "--clk-tck" -> clockTicks = Long.parseLong(value);
                case "--keystore" -> keystore = value;
                case "--storepass" -> storepass = value;
                case "--protocol" -> protocol = value;
                case "--cipher" -> cipher = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
            }
        }
        if (port <= 0 || keystore == null || connections <= 0 || size <= 0 || seconds <= 0 || warmSeconds < 0) {
            throw new IllegalArgumentException("usage: -p PORT --keystore PATH --storepass PASSWORD [-c 64] [-s 64]"
                    + " [-w 2] [-t 5] [--server-pid PID] [--clk-tck 100] [--protocol P|any] [--cipher C|any]");
        }
        SSLContext context = TlsMaterial.clientContext(Path.of(keystore), storepass.toCharArray());
        Run run = new Run(context, new InetSocketAddress(host, port), connections, size, "any".equals(protocol)
                ? null : protocol, "any".equals(cipher) ? null : cipher);
        System.exit(run.execute(warmSeconds, seconds, serverPid, clockTicks) ? 0 : 1);
    }

    /** One load run: the connections, their shared counters and the clock. */
    static final class Run {

        final SSLContext context;

        final InetSocketAddress address;

        final int connections;

        final int size;

        final String protocol;

        final String cipher;

        final AtomicLong errors = new AtomicLong();

        final AtomicLong mismatches = new AtomicLong();

        final AtomicReference<String> firstError = new AtomicReference<>();

        final AtomicReference<String> negotiated = new AtomicReference<>();

        final CountDownLatch ready;

        final CountDownLatch go = new CountDownLatch(1);

        /** Window start and end, System.nanoTime(); written before {@link #go} opens. */
        volatile long windowStart;

        volatile long windowEnd;

        Run(SSLContext context, InetSocketAddress address, int connections, int size, String protocol, String cipher) {
            this.context = context;
            this.address = address;
            this.connections = connections;
            this.size = size;
            this.protocol = protocol;
            this.cipher = cipher;
            this.ready = new CountDownLatch(connections);
        }

        boolean execute(double warmSeconds, double seconds, long serverPid, long clockTicks) throws Exception {
            long handshakeStart = System.nanoTime();
            List<Connection> workers = new ArrayList<>();
            for (int i = 0; i < this.connections; i++) {
                Connection connection = new Connection(this, i);
                Thread thread = new Thread(connection, "tls-load-" + i);
                thread.setDaemon(true);
                connection.thread = thread;
                workers.add(connection);
                thread.start();
            }
            if (!this.ready.await(60, TimeUnit.SECONDS)) {
                error("not every connection finished its handshake within 60 s");
            }
            double handshakeSeconds = (System.nanoTime() - handshakeStart) / 1e9;
            long start = System.nanoTime();
            this.windowStart = start + (long) (warmSeconds * 1e9);
            this.windowEnd = this.windowStart + (long) (seconds * 1e9);
            this.go.countDown();
            CpuWindow cpu = new CpuWindow(serverPid, clockTicks);
            sleepUntil(this.windowStart);
            cpu.start();
            sleepUntil(this.windowEnd);
            cpu.end();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SOCKET_TIMEOUT_MS / 1000 + 5);
            for (Connection connection : workers) {
                connection.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (connection.thread.isAlive()) {
                    error("connection " + connection.index + " still busy after the window");
                    connection.close();
                }
            }
            long messages = 0;
            long samples = 0;
            for (Connection connection : workers) {
                messages += connection.counted;
                samples += connection.sampleCount;
            }
            long[] latencies = new long[(int) samples];
            int at = 0;
            for (Connection connection : workers) {
                System.arraycopy(connection.samples, 0, latencies, at, connection.sampleCount);
                at += connection.sampleCount;
            }
            Arrays.sort(latencies);
            double window = seconds;
            ResultLine line = new ResultLine("tls_loadgen");
            line.word("conns", this.connections);
            line.word("size", this.size);
            line.word("msgs", messages);
            line.word("msgs_per_s", ResultLine.round(messages / window, 0));
            line.word("mb_per_s", ResultLine.round(messages * (double) this.size / window / 1e6, 2));
            line.word("p50_us", ResultLine.round(percentile(latencies, 0.50) / 1e3, 1));
            line.word("p99_us", ResultLine.round(percentile(latencies, 0.99) / 1e3, 1));
            line.word("p999_us", ResultLine.round(percentile(latencies, 0.999) / 1e3, 1));
            line.word("errors", this.errors.get());
            line.word("mismatches", this.mismatches.get());
            cpu.appendTo(line, messages, window, 3, false);
            String[] suite = (this.negotiated.get() != null) ? this.negotiated.get().split(" ") : new String[] { "-", "-" };
            line.word("protocol", suite[0]);
            line.word("cipher", suite[1]);
            line.word("handshake_s", ResultLine.round(handshakeSeconds, 2));
            System.out.println(line);
            if (this.firstError.get() != null) {
                System.err.println("first error: " + this.firstError.get());
            }
            return this.errors.get() == 0 && this.mismatches.get() == 0;
        }

        void error(String message) {
            this.errors.incrementAndGet();
            this.firstError.compareAndSet(null, message);
        }

    }

    /** One connection and its thread: connect, handshake, then one message in flight until the window ends. */
    static final class Connection implements Runnable {

        final Run run;

        final int index;

        Thread thread;

        volatile SSLSocket socket;

        /** Messages whose echo completed inside the window. */
        long counted;

        /** Latencies (ns) of the counted messages, at most {@link #MAX_SAMPLES}. */
        long[] samples = new long[4096];

        int sampleCount;

        static final int MAX_SAMPLES = 1 << 20;

        Connection(Run run, int index) {
            this.run = run;
            this.index = index;
        }

        @Override
        public void run() {
            int size = this.run.size;
            boolean readyCounted = false;
            try {
                SSLSocket socket = (SSLSocket) this.run.context.getSocketFactory().createSocket();
                this.socket = socket;
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(SOCKET_TIMEOUT_MS);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate names 127.0.0.1
                if (this.run.protocol != null) {
                    parameters.setProtocols(new String[] { this.run.protocol });
                }
                if (this.run.cipher != null) {
                    parameters.setCipherSuites(new String[] { this.run.cipher });
                }
                socket.setSSLParameters(parameters);
                socket.connect(this.run.address, SOCKET_TIMEOUT_MS);
                socket.startHandshake();
                this.run.negotiated.compareAndSet(null,
                        socket.getSession().getProtocol() + " " + socket.getSession().getCipherSuite());
                readyCounted = true;
                this.run.ready.countDown();
                if (!this.run.go.await(70, TimeUnit.SECONDS)) {
                    return;
                }
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                byte[] pool = new byte[size + POOL_SLACK];
                new SplittableRandom(this.index * 7919L + 17).nextBytes(pool);
                byte[] echo = new byte[size];
                long windowStart = this.run.windowStart;
                long windowEnd = this.run.windowEnd;
                long sequence = 0;
                while (true) {
                    int offset = (int) ((sequence++ * 61) % POOL_SLACK);
                    long sent = System.nanoTime();
                    if (sent >= windowEnd) {
                        break;
                    }
                    out.write(pool, offset, size);
                    out.flush();
                    int read = in.readNBytes(echo, 0, size);
                    long done = System.nanoTime();
                    if (read < size) {
                        this.run.error("connection " + this.index + ": end of stream after " + read + " of " + size
                                + " bytes");
                        return;
                    }
                    if (!Arrays.equals(echo, 0, size, pool, offset, offset + size)) {
                        this.run.mismatches.incrementAndGet();
                        this.run.firstError.compareAndSet(null, "connection " + this.index + ": echoed bytes differ");
                        return;
                    }
                    if (done >= windowStart && done < windowEnd) {
                        this.counted++;
                        if (this.sampleCount == this.samples.length && this.samples.length < MAX_SAMPLES) {
                            this.samples = Arrays.copyOf(this.samples, this.samples.length * 2);
                        }
                        if (this.sampleCount < this.samples.length) {
                            this.samples[this.sampleCount++] = done - sent;
                        }
                    }
                }
            }
            catch (IOException | RuntimeException ex) {
                this.run.error("connection " + this.index + ": " + ex);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            finally {
                if (!readyCounted) {
                    this.run.ready.countDown();
                }
                close();
            }
        }

        void close() {
            SSLSocket socket = this.socket;
            if (socket != null) {
                try {
                    socket.close();
                }
                catch (IOException ex) {
                    // closing after the run; nothing to report
                }
            }
        }

    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        }
    }

    private static double percentile(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

}
