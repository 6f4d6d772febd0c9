package io.github.asyncore.demo.soak;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;

/**
 * The demo service in a process of its own, so that its heap and descriptors are measured apart from the
 * load: every port a free one on 127.0.0.1, passed as arguments; its console goes to {@code server.log};
 * its metrics are read from actuator on its management port; a full GC is asked for with
 * {@code jcmd <pid> GC.run}. The soak starts it, and so do the reliability tests that need the demo's own
 * JVM limits ({@code -Xmx256m}, as a pod gets).
 */
public final class DemoServer implements AutoCloseable {

    /** The main class, for a demo started from the test class path. */
    public static final String MAIN_CLASS = SoakConfig.MAIN_CLASS;

    /**
     * Ports of the running demo.
     *
     * @param web the web port ({@code GET /fetch})
     * @param management the actuator's port
     * @param echo the TCP echo
     * @param chat the line chat
     * @param udp the UDP echo
     */
    public record Ports(int web, int management, int echo, int chat, int udp) {
    }

    private static final Pattern HISTOGRAM_ROW = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(.+)$");

    /** The log line of an echo connection the idle timeout closed; group 1 is the client's port. */
    private static final Pattern ECHO_IDLE = Pattern.compile("<EchoHandler echoServer#\\d+ \\w+ [0-9.]+:(\\d+)>: ALL_IDLE for");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(15);

    /** The demo's idle timeout for echo connections in the soak, so that silent clients meet it. */
    static final Duration ECHO_IDLE_TIMEOUT = Duration.ofSeconds(5);

    /** The demo's /fetch limits in the soak: short, so that hostile upstreams are dealt with quickly. */
    static final Duration FETCH_CONNECT_TIMEOUT = Duration.ofSeconds(1);

    static final Duration FETCH_READ_TIMEOUT = Duration.ofSeconds(1);

    static final int FETCH_MAX_RESPONSE = 256 * 1024;

    private final Process process;

    private final Ports ports;

    private final Path log;

    private final List<String> command;

    private final Deque<String> lastLines = new ArrayDeque<>();

    private final AtomicLong errorLines = new AtomicLong();

    private final AtomicLong warnLines = new AtomicLong();

    private final List<String> errorSamples = new ArrayList<>();

    private final CompletableFuture<Void> started = new CompletableFuture<>();

    private volatile String drainReport;

    private final List<long[]> echoIdleClosed = java.util.Collections.synchronizedList(new ArrayList<>());

    private final Thread pump;

    private DemoServer(Process process, Ports ports, Path log, List<String> command) {
        this.process = process;
        this.ports = ports;
        this.log = log;
        this.command = command;
        this.pump = new Thread(this::pumpOutput, "soak-server-log");
        this.pump.setDaemon(true);
        this.pump.start();
        process.onExit()
            .thenRun(() -> this.started.completeExceptionally(new IllegalStateException(
                    "the demo exited with " + process.exitValue() + " before it started; see " + log)));
    }

    static DemoServer start(SoakConfig config) throws IOException, InterruptedException {
        return start(config.directory(), config.serverJvmArgs(), config.serverLaunch(),
                List.of("--asyncore.dispatchers.echoServer.idle-timeout=" + ECHO_IDLE_TIMEOUT.toSeconds() + "s",
                        "--demo.fetch.connect-timeout=" + FETCH_CONNECT_TIMEOUT.toMillis() + "ms",
                        "--demo.fetch.read-timeout=" + FETCH_READ_TIMEOUT.toMillis() + "ms",
                        "--demo.fetch.total-timeout=5s", "--demo.fetch.max-response-size=" + FETCH_MAX_RESPONSE + "B",
                        // the upstreams live on loopback, which the destination policy denies unless allowed
                        "--demo.fetch.allowed-networks=127.0.0.0/8", "--demo.fetch.allowed-ports="));
    }

    /**
     * Starts the demo from the test class path on free ports of 127.0.0.1 and waits (up to two minutes)
     * until it has started.
     * @param directory where {@code server.log} and {@code server-gc.log} go
     * @param jvmArgs the JVM's options, such as {@code -Xmx256m}
     * @param arguments more application arguments ({@code --key=value}), after the ports
     * @return the running demo; close it
     */
    public static DemoServer start(Path directory, List<String> jvmArgs, List<String> arguments)
            throws IOException, InterruptedException {
        return start(directory, jvmArgs, List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS), arguments);
    }

    private static DemoServer start(Path directory, List<String> jvmArgs, List<String> launch, List<String> arguments)
            throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Ports ports = freePorts();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-Xlog:gc:file=" + directory.resolve("server-gc.log"));
        command.addAll(launch);
        command.addAll(List.of("--server.address=127.0.0.1", "--server.port=" + ports.web(),
                "--management.server.address=127.0.0.1", "--management.server.port=" + ports.management(),
                "--asyncore.dispatchers.echoServer.address=127.0.0.1:" + ports.echo(),
                "--asyncore.dispatchers.chatServer.address=127.0.0.1:" + ports.chat(),
                "--asyncore.dispatchers.udpEchoServer.address=127.0.0.1:" + ports.udp(),
                "--asyncore.dispatchers.tlsEchoServer.address=127.0.0.1:0", "--spring.main.banner-mode=off"));
        command.addAll(arguments);
        Path log = directory.resolve("server.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        DemoServer server = new DemoServer(process, ports, log, command);
        try {
            server.started.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException | TimeoutException ex) {
            server.close();
            throw new IllegalStateException("the demo did not start within " + START_TIMEOUT.toSeconds() + " s: "
                    + ex.getMessage() + "\nlast lines of " + log + ":\n" + server.lastLines(), ex);
        }
        return server;
    }

    /** Free ports on 127.0.0.1: every socket is held open until all are chosen, so they differ. */
    private static Ports freePorts() throws IOException {
        List<AutoCloseable> held = new ArrayList<>();
        try {
            int[] tcp = new int[4];
            for (int i = 0; i < tcp.length; i++) {
                ServerSocket socket = new ServerSocket(0, 1, RawHttp.LOOPBACK);
                held.add(socket);
                tcp[i] = socket.getLocalPort();
            }
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(RawHttp.LOOPBACK, 0));
            held.add(udp);
            return new Ports(tcp[0], tcp[1], tcp[2], tcp[3], udp.getLocalPort());
        }
        finally {
            for (AutoCloseable socket : held) {
                try {
                    socket.close();
                }
                catch (Exception ex) {
                    // a port we only looked at
                }
            }
        }
    }

    private void pumpOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
                BufferedWriter out = Files.newBufferedWriter(this.log, StandardCharsets.UTF_8)) {
            out.write("# " + String.join(" ", this.command));
            out.newLine();
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.newLine();
                out.flush();
                inspect(line);
            }
        }
        catch (IOException ex) {
            this.started.completeExceptionally(ex);
        }
    }

    private void inspect(String line) {
        synchronized (this.lastLines) {
            this.lastLines.addLast(line);
            if (this.lastLines.size() > 40) {
                this.lastLines.removeFirst();
            }
        }
        if (line.contains("Started DemoApplication")) {
            this.started.complete(null);
        }
        Matcher idle = ECHO_IDLE.matcher(line);
        if (idle.find()) {
            try {
                long at = java.time.OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant().toEpochMilli();
                this.echoIdleClosed.add(new long[] { Integer.parseInt(idle.group(1)), at });
            }
            catch (RuntimeException ex) {
                this.echoIdleClosed.add(new long[] { Integer.parseInt(idle.group(1)), System.currentTimeMillis() });
            }
        }
        int stopped = line.indexOf("asyncore stopped in ");
        if (stopped >= 0) {
            this.drainReport = line.substring(stopped);
        }
        // Spring Boot's console pattern: "<timestamp>  LEVEL <pid> --- ..."
        if (line.contains(" ERROR ") && line.contains(" --- ")) {
            this.errorLines.incrementAndGet();
            synchronized (this.errorSamples) {
                if (this.errorSamples.size() < 10) {
                    this.errorSamples.add(line);
                }
            }
        }
        else if (line.contains(" WARN ") && line.contains(" --- ")) {
            this.warnLines.incrementAndGet();
        }
    }

    /**
     * @return the echo connections that the idle timeout closed, from the log: the client's port and when
     *         (epoch milliseconds)
     */
    List<long[]> echoIdleClosed() {
        synchronized (this.echoIdleClosed) {
            return List.copyOf(this.echoIdleClosed);
        }
    }

    /** @return what asyncore logged when it stopped (the drain report), or {@code null} */
    String drainReport() {
        return this.drainReport;
    }

    public String lastLines() {
        synchronized (this.lastLines) {
            return String.join("\n", this.lastLines);
        }
    }

    public long errorLines() {
        return this.errorLines.get();
    }

    public long warnLines() {
        return this.warnLines.get();
    }

    public List<String> errorSamples() {
        synchronized (this.errorSamples) {
            return List.copyOf(this.errorSamples);
        }
    }

    public Ports ports() {
        return this.ports;
    }

    public long pid() {
        return this.process.pid();
    }

    public Path log() {
        return this.log;
    }

    public boolean isAlive() {
        return this.process.isAlive();
    }

    /** @return the exit code; only once the process ended */
    int exitValue() {
        return this.process.exitValue();
    }

    // ---------------------------------------------------------------- actuator

    /**
     * @param tags {@code name:value} pairs
     * @return the meter's first measurement (the value of a gauge, the sum over its series)
     */
    public double metric(String name, String... tags) throws IOException {
        StringBuilder target = new StringBuilder("/actuator/metrics/").append(name);
        for (int i = 0; i < tags.length; i++) {
            target.append((i == 0) ? '?' : '&').append("tag=").append(URLEncoder.encode(tags[i], StandardCharsets.UTF_8));
        }
        RawHttp.Response response = management(target.toString());
        Number value = JsonPath.read(response.body(), "$.measurements[0].value");
        return value.doubleValue();
    }

    /** @return live channels by kind ({@code LISTENER}, {@code CONNECTION}, ...), from /actuator/channels */
    public Map<String, Integer> channelsByKind() throws IOException {
        List<String> kinds = JsonPath.read(management("/actuator/channels").body(), "$.channels[*].kind");
        Map<String, Integer> counts = new TreeMap<>();
        for (String kind : kinds) {
            counts.merge(kind, 1, Integer::sum);
        }
        return counts;
    }

    /** @return the names of the live channels, from /actuator/channels */
    List<String> channelNames() throws IOException {
        return JsonPath.read(management("/actuator/channels").body(), "$.channels[*].name");
    }

    public String health() throws IOException {
        RawHttp.Response response = RawHttp.get(this.ports.management(), "/actuator/health", HTTP_TIMEOUT);
        return JsonPath.read(response.body(), "$.status");
    }

    private RawHttp.Response management(String target) throws IOException {
        RawHttp.Response response = RawHttp.get(this.ports.management(), target, HTTP_TIMEOUT);
        if (response.status() != 200) {
            throw new IOException("GET " + target + " answered " + response.status() + ": " + response.body());
        }
        return response;
    }

    /** Runs a full GC in the server ({@code jcmd <pid> GC.run}) and waits for it. */
    public void gc() throws IOException, InterruptedException {
        jcmd("GC.run");
    }

    /**
     * Takes a class histogram of the live objects (a full GC first: {@code jcmd <pid> GC.class_histogram})
     * and saves it.
     * @return bytes and instances by class
     */
    Map<String, long[]> histogram(Path file) throws IOException, InterruptedException {
        String output = jcmd("GC.class_histogram");
        Files.writeString(file, output, StandardCharsets.UTF_8);
        Map<String, long[]> classes = new TreeMap<>();
        Matcher row = HISTOGRAM_ROW.matcher(output);
        while (row.find()) {
            classes.put(row.group(3).strip(), new long[] { Long.parseLong(row.group(2)), Long.parseLong(row.group(1)) });
        }
        return classes;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String executable = Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd";
        Process process = new ProcessBuilder(executable, Long.toString(pid()), command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("jcmd " + pid() + " " + command + " failed: " + output);
        }
        return output;
    }

    // ---------------------------------------------------------------- stop

    /**
     * Stops the demo as Kubernetes would (SIGTERM, graceful shutdown), then forcibly if it takes longer
     * than the timeout.
     * @return the exit code, or -1 when it had to be killed
     */
    public int stop(Duration timeout) throws InterruptedException {
        // SIGTERM through the handle: Process.destroy() would also close our end of its output, and the
        // shutdown's own log (the drain report) would be lost
        this.process.toHandle().destroy();
        if (this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            this.pump.join(5_000);
            return this.process.exitValue();
        }
        this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return -1;
    }

    @Override
    public void close() {
        if (this.process.isAlive()) {
            this.process.destroyForcibly();
        }
    }

}
