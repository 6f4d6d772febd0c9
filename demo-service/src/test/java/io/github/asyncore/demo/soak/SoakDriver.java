package io.github.asyncore.demo.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * Drives the demo service, started as a process of its own, for a configured time with a mix of
 * well-behaved and abusive clients on a fixed number of client threads; then checks that nothing was
 * lost and nothing grew, and prints a summary. See {@link SoakConfig} for the settings and
 * {@code docs/reliability.md} for how to run it.
 * <p>
 * The run: start the demo (free ports on 127.0.0.1) and the upstreams of {@code /fetch}; load for the
 * warm-up; let the clients finish and the server settle (only its listeners left, a forced GC): the
 * baseline; load for the rest of the duration; settle again: the end state, compared with the baseline
 * within the configured slack; stop the demo with SIGTERM.
 */
public final class SoakDriver {

    private static final Set<String> LISTENER_KINDS = Set.of("LISTENER", "DATAGRAM");

    private static final Map<String, Integer> LISTENERS = Map.of("LISTENER", 3, "DATAGRAM", 1);

    private static final List<String> LISTENER_NAMES = List.of("chatServer", "echoServer", "tlsEchoServer", "udpEchoServer");

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    /** The dispatchers of the demo's connections: once every client is gone, none may be reachable. */
    private static final List<String> CONNECTION_DISPATCHERS = List.of("io.github.asyncore.demo.chat.ChatSession",
            "io.github.asyncore.demo.echo.EchoHandler", "io.github.asyncore.demo.fetch.FetchClient");

    /** How often the measured load's heap is read after a forced GC, to show its trend. */
    private static final Duration GC_INTERVAL = Duration.ofSeconds(60);

    private SoakDriver() {
    }

    /**
     * Runs a soak and exits with 0 when it passed, 1 when not.
     * @param args {@code --duration=10m}, {@code --concurrency=12}, ...: see {@link SoakConfig}
     */
    public static void main(String[] args) throws Exception {
        SoakReport report = run(SoakConfig.fromArguments(args));
        System.exit(report.passed() ? 0 : 1);
    }

    /** What the server looked like once the clients were gone and a full GC had run. */
    private record Settled(double heap, double direct, double descriptors, Map<String, Integer> channels, List<String> names,
            long settledMillis, Map<String, long[]> histogram) {

        boolean onlyListeners() {
            return this.channels.equals(LISTENERS) && this.names.equals(LISTENER_NAMES);
        }

        /** @return live instances of each connection's dispatcher class, after a full GC */
        Map<String, Long> dispatchers() {
            Map<String, Long> counts = new java.util.LinkedHashMap<>();
            for (String type : CONNECTION_DISPATCHERS) {
                long[] row = this.histogram.get(type);
                counts.put(type.substring(type.lastIndexOf('.') + 1), (row != null) ? row[1] : 0L);
            }
            return counts;
        }

        long retainedDispatchers() {
            return dispatchers().values().stream().mapToLong(Long::longValue).sum();
        }

    }

    static SoakReport run(SoakConfig config) throws Exception {
        Files.createDirectories(config.directory());
        SoakStats stats = new SoakStats();
        List<String> problems = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        Instant started = Instant.now();
        long runStart = System.nanoTime();
        progress("soak: %s (warm-up %s), %d client threads, seed %d; output in %s", human(config.duration()),
                human(config.warmUp()), config.concurrency(), config.seed(), config.directory());
        try (Upstreams upstreams = new Upstreams(config.concurrency()); DemoServer server = DemoServer.start(config)) {
            DemoServer.Ports ports = server.ports();
            progress("demo started: pid %d, web %d, management %d, echo %d, chat %d, udp %d", server.pid(), ports.web(),
                    ports.management(), ports.echo(), ports.chat(), ports.udp());
            double startHeap = server.metric("jvm.memory.used", "area:heap");
            double startDescriptors = server.metric("process.files.open");
            Scenarios scenarios = new Scenarios(stats, ports, upstreams);
            SplittableRandom random = new SplittableRandom(config.seed());
            Settled baseline;
            Settled end;
            List<Double> heapsAfterGc = java.util.Collections.synchronizedList(new ArrayList<>());
            long[] warmUpConnections = new long[1];
            ServerSampler sampler = new ServerSampler(server, config.sampleInterval(),
                    config.directory().resolve("samples.csv"));
            try {
                load("warm-up", config.warmUp(), config, scenarios, random.split(), stats, server, sampler, problems);
                baseline = settle("baseline", server, problems);
                warmUpConnections[0] = stats.connections().values().stream().mapToLong(Long::longValue).sum();
                progress("baseline: heap %.1f MiB after GC, %.0f descriptors, channels %s (settled in %d ms)",
                        baseline.heap() / SoakReport.MIB, baseline.descriptors(), baseline.channels(),
                        baseline.settledMillis());
                ScheduledExecutorService gcTimer = Executors.newSingleThreadScheduledExecutor((runnable) -> {
                    Thread thread = new Thread(runnable, "soak-gc");
                    thread.setDaemon(true);
                    return thread;
                });
                gcTimer.scheduleAtFixedRate(() -> heapAfterGc(server, heapsAfterGc), GC_INTERVAL.toMillis(),
                        GC_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                try {
                    load("load", config.duration().minus(config.warmUp()), config, scenarios, random.split(), stats,
                            server, sampler, problems);
                }
                finally {
                    gcTimer.shutdownNow();
                    gcTimer.awaitTermination(60, TimeUnit.SECONDS);
                }
                end = settle("end", server, problems);
                end = awaitDescriptors(server, end, baseline.descriptors() + config.descriptorSlack());
                progress("end: heap %.1f MiB after GC, %.0f descriptors, channels %s (settled in %d ms)",
                        end.heap() / SoakReport.MIB, end.descriptors(), end.channels(), end.settledMillis());
            }
            finally {
                sampler.close();
            }
            Map<String, Double> counters = serverCounters(server);
            String health = server.health();
            long stopStart = System.nanoTime();
            int exit = server.stop(Duration.ofSeconds(30));
            long stopMillis = (System.nanoTime() - stopStart) / 1_000_000;

            // ------------------------------------------------------------ checks
            long failures = stats.failureCount();
            if (failures > 0) {
                problems.add(failures + " client failures (lost or corrupted bytes, wrong answers, unexpected errors)");
            }
            for (Scenario scenario : Scenario.values()) {
                if (stats.connections().getOrDefault(scenario.label(), 0L) == 0) {
                    problems.add("scenario '" + scenario.label() + "' never completed a connection");
                }
            }
            if (!end.onlyListeners()) {
                problems.add("live channels at the end: " + end.channels() + " " + end.names() + ", expected only "
                        + LISTENER_NAMES);
            }
            double heapLimit = baseline.heap() + config.heapSlackBytes();
            if (end.heap() > heapLimit) {
                problems.add(String.format(Locale.ROOT, "heap grew: %.1f MiB after GC at the end, baseline %.1f MiB + slack %d MiB",
                        end.heap() / SoakReport.MIB, baseline.heap() / SoakReport.MIB, config.heapSlackBytes() >> 20));
            }
            if (end.retainedDispatchers() > 0) {
                problems.add("closed connections still reachable after a full GC: " + end.dispatchers()
                        + " (see the class histograms)");
            }
            if (end.direct() > baseline.direct() + config.heapSlackBytes()) {
                problems.add(String.format(Locale.ROOT, "direct buffers grew: %.1f MiB at the end, baseline %.1f MiB + slack %d MiB",
                        end.direct() / SoakReport.MIB, baseline.direct() / SoakReport.MIB, config.heapSlackBytes() >> 20));
            }
            double descriptorLimit = baseline.descriptors() + config.descriptorSlack();
            if (end.descriptors() > descriptorLimit) {
                problems.add(String.format(Locale.ROOT, "descriptors grew: %.0f at the end, baseline %.0f + slack %d",
                        end.descriptors(), baseline.descriptors(), config.descriptorSlack()));
            }
            long connected = tcpConnections(stats);
            long accepted = Math.round(counters.getOrDefault("accepted", -1.0));
            if (accepted != connected) {
                problems.add("the server accepted " + accepted + " echo and chat connections, the clients made " + connected);
            }
            long refused = Math.round(counters.getOrDefault("refused", -1.0));
            long rejected = Math.round(counters.getOrDefault("rejected", -1.0));
            if (refused != 0 || rejected != 0) {
                problems.add("the server refused " + refused + " and rejected " + rejected
                        + " connections; the soak stays far below max-connections");
            }
            if (!"UP".equals(health)) {
                problems.add("health at the end: " + health);
            }
            if (server.errorLines() > 0) {
                problems.add(server.errorLines() + " ERROR lines in " + server.log() + ", first: "
                        + server.errorSamples().get(0));
            }
            Map<String, Long> lingered = new TreeMap<>();
            for (long[] closed : server.echoIdleClosed()) {
                // the connection was opened at least the idle timeout before the server closed it
                String scenario = scenarios.echoScenario((int) closed[0],
                        closed[1] - DemoServer.ECHO_IDLE_TIMEOUT.toMillis() + 100);
                if (!Scenarios.WAITS_FOR_IDLE_TIMEOUT.equals(scenario)) {
                    lingered.merge(scenario, 1L, Long::sum);
                    System.out.println("lingering echo connection: client port " + closed[0] + ", closed by the server at "
                            + java.time.Instant.ofEpochMilli(closed[1]) + "; connections from that port: "
                            + scenarios.echoUses((int) closed[0]));
                }
            }
            if (!lingered.isEmpty()) {
                problems.add("echo connections the server kept open after their client closed or reset them, until "
                        + "the idle timeout closed them, by scenario: " + lingered + " (see ALL_IDLE in " + server.log() + ")");
            }
            if (server.drainReport() == null) {
                problems.add("the demo logged no drain report when it stopped (exit " + exit + ")");
            }
            if (sampler.samples() == 0) {
                problems.add("no metric sample could be read: " + sampler.lastError());
            }

            // ------------------------------------------------------------ summary
            lines.add("=== asyncore demo soak: " + (problems.isEmpty() ? "PASSED" : "FAILED") + " ===");
            lines.add(String.format(Locale.ROOT, "run             started %s: %s of load (%s warm-up, then %s measured), %d client threads, seed %d",
                    started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), human(config.duration()),
                    human(config.warmUp()), human(config.duration().minus(config.warmUp())), config.concurrency(),
                    config.seed()));
            lines.add("server          pid " + server.pid() + ", " + String.join(" ", config.serverJvmArgs())
                    + ", stopped with SIGTERM in " + stopMillis + " ms (exit " + exit + "); it logged:");
            lines.add("                " + ((server.drainReport() != null) ? server.drainReport() : "(no drain report)"));
            Map<String, Long> connections = stats.connections();
            long total = connections.values().stream().mapToLong(Long::longValue).sum();
            lines.add("connections     " + total + " (TCP connections, UDP sockets and HTTP requests), by kind:");
            for (Scenario scenario : Scenario.values()) {
                lines.add(String.format(Locale.ROOT, "  %-24s %10d%s", scenario.label(),
                        connections.getOrDefault(scenario.label(), 0L), scenario.abusive() ? "  (abusive)" : ""));
            }
            Map<String, Long> verified = stats.verified();
            lines.add("verified        every byte and line below was compared with what was sent:");
            lines.add(String.format(Locale.ROOT, "  echo                     %10s in %d streams", bytes(verified.get("echo bytes")),
                    verified.getOrDefault("echo streams", 0L)));
            lines.add(String.format(Locale.ROOT, "  udp                      %10s in %d datagrams", bytes(verified.get("udp bytes")),
                    verified.getOrDefault("udp datagrams", 0L)));
            lines.add(String.format(Locale.ROOT, "  chat                     %10d lines (welcome, nick, broadcast, /who, bye, left)",
                    verified.getOrDefault("chat lines", 0L)));
            lines.add(String.format(Locale.ROOT, "  fetch                    %10d responses (%s of pages)",
                    verified.getOrDefault("fetch responses", 0L), bytes(verified.get("fetch body bytes"))));
            lines.add("expected        outcomes of abuse, each as documented (not failures):");
            stats.expected().forEach((outcome, count) -> lines.add(String.format(Locale.ROOT, "  %-66s %8d", outcome, count)));
            lines.add("failures        " + failures + (failures == 0 ? "" : ", by kind:"));
            stats.failures().forEach((kind, count) -> {
                lines.add(String.format(Locale.ROOT, "  %-66s %8d", kind, count));
                stats.failureSamples(kind).forEach((sample) -> lines.add("      e.g. " + sample));
            });
            lines.add(String.format(Locale.ROOT,
                    "server heap     start %.1f MiB, peak %.1f MiB under load; after GC: baseline %.1f MiB, end %.1f MiB (slack %d MiB)",
                    startHeap / SoakReport.MIB, sampler.peakHeap() / SoakReport.MIB, baseline.heap() / SoakReport.MIB,
                    end.heap() / SoakReport.MIB, config.heapSlackBytes() >> 20));
            List<String> underLoad;
            synchronized (heapsAfterGc) {
                underLoad = heapsAfterGc.stream().map((heap) -> String.format(Locale.ROOT, "%.1f", heap / SoakReport.MIB)).toList();
            }
            lines.add("                after GC every " + human(GC_INTERVAL) + " under load (MiB, clients still connected): "
                    + (underLoad.isEmpty() ? "none (measured load shorter than that)" : String.join(", ", underLoad)));
            long measured = total - warmUpConnections[0];
            lines.add(String.format(Locale.ROOT, "                end minus baseline: %+.2f MiB over %d connections after the baseline (%+.1f bytes each)",
                    (end.heap() - baseline.heap()) / SoakReport.MIB, measured,
                    (measured > 0) ? (end.heap() - baseline.heap()) / measured : 0.0));
            lines.add("                classes grown most, baseline to end (live bytes, instances; histograms in "
                    + config.directory() + "):");
            growth(baseline, end, 6).forEach((line) -> lines.add("                  " + line));
            lines.add("                dispatchers of closed connections still reachable after GC: baseline " + baseline.dispatchers()
                    + ", end " + end.dispatchers() + " (must be none at the end)");
            lines.add(String.format(Locale.ROOT,
                    "direct buffers  peak %.1f MiB under load; after GC: baseline %.1f MiB, end %.1f MiB (slack %d MiB)",
                    sampler.peakDirect() / SoakReport.MIB, baseline.direct() / SoakReport.MIB, end.direct() / SoakReport.MIB,
                    config.heapSlackBytes() >> 20));
            lines.add(String.format(Locale.ROOT,
                    "descriptors     start %.0f, peak %.0f under load, baseline %.0f, end %.0f (slack %d)", startDescriptors,
                    sampler.peakDescriptors(), baseline.descriptors(), end.descriptors(), config.descriptorSlack()));
            lines.add(String.format(Locale.ROOT, "channels        peak %.0f live under load; at the end %s %s, settled %d ms after the clients stopped",
                    sampler.peakChannels(), end.channels(), end.names(), end.settledMillis()));
            lines.add(String.format(Locale.ROOT,
                    "server counted  %d connections accepted (clients made %d), %d refused, %d rejected, %d handler errors, "
                            + "%d idle and %d connect timeouts, %d loop stalls; %s read, %s written",
                    accepted, connected, refused, rejected,
                    Math.round(counters.getOrDefault("handler errors", -1.0)),
                    Math.round(counters.getOrDefault("idle timeouts", -1.0)),
                    Math.round(counters.getOrDefault("connect timeouts", -1.0)),
                    Math.round(counters.getOrDefault("stalls", -1.0)), bytes(Math.round(counters.getOrDefault("read", 0.0))),
                    bytes(Math.round(counters.getOrDefault("written", 0.0)))));
            long idleClosed = server.echoIdleClosed().size();
            long lingeredCount = lingered.values().stream().mapToLong(Long::longValue).sum();
            lines.add("idle timeouts   " + idleClosed + " echo connections closed by the server's idle timeout: "
                    + (idleClosed - lingeredCount) + " of silent clients waiting for it, " + lingeredCount
                    + " whose client had already closed or reset (must be none)" + (lingered.isEmpty() ? "" : " " + lingered));
            lines.add("server log      " + server.errorLines() + " ERROR, " + server.warnLines() + " WARN lines; health "
                    + health + " at the end; " + sampler.samples() + " metric samples (" + sampler.errors()
                    + " unreadable)");
            lines.add(problems.isEmpty() ? "result          PASSED: nothing lost or corrupted, no unexpected error, no growth"
                    : "result          FAILED:");
            problems.forEach((problem) -> lines.add("  - " + problem));
        }
        lines.add(String.format(Locale.ROOT, "(whole run %s)", human(Duration.ofNanos(System.nanoTime() - runStart))));
        String summary = String.join(System.lineSeparator(), lines);
        System.out.println(summary);
        Files.writeString(config.directory().resolve("summary.txt"), summary + System.lineSeparator(),
                StandardCharsets.UTF_8);
        return new SoakReport(summary, problems);
    }

    /** Runs the clients for a while: each thread picks scenarios until the time is up. */
    private static void load(String phase, Duration duration, SoakConfig config, Scenarios scenarios,
            SplittableRandom random, SoakStats stats, DemoServer server, ServerSampler sampler, List<String> problems)
            throws InterruptedException {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(config.concurrency(),
                (runnable) -> new Thread(runnable, "soak-client-" + threads.incrementAndGet()));
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor((runnable) -> {
            Thread thread = new Thread(runnable, "soak-progress");
            thread.setDaemon(true);
            return thread;
        });
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        progress("%s: %s", phase, human(duration));
        reporter.scheduleAtFixedRate(() -> progress("%s: %s of %s, %d connections, %d failures, peak heap %.0f MiB, peak descriptors %.0f, demo %s",
                phase, human(Duration.ofNanos(System.nanoTime() - start)), human(duration),
                stats.connections().values().stream().mapToLong(Long::longValue).sum(), stats.failureCount(),
                sampler.peakHeap() / SoakReport.MIB, sampler.peakDescriptors(), server.isAlive() ? "alive" : "DEAD"),
                30, 30, TimeUnit.SECONDS);
        for (int i = 0; i < config.concurrency(); i++) {
            SplittableRandom own = random.split();
            clients.execute(() -> {
                while (System.nanoTime() - end < 0 && server.isAlive()) {
                    Scenario scenario = Scenario.pick(own);
                    try {
                        scenarios.run(scenario, own);
                    }
                    catch (ScenarioFailure failure) {
                        stats.failure(failure.kind(), scenario.label() + ": " + failure.getMessage());
                    }
                    catch (Exception | Error ex) {
                        stats.failure(scenario.label() + ": unexpected " + ex.getClass().getSimpleName(),
                                ex.toString());
                    }
                }
            });
        }
        clients.shutdown();
        Duration bound = duration.plus(Scenarios.SCENARIO_TIMEOUT).plusSeconds(30);
        if (!clients.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            problems.add(phase + ": client threads still running " + human(bound) + " after the start");
            clients.shutdownNow();
        }
        reporter.shutdownNow();
    }

    /** Waits (bounded) until only the listeners are left, then forces a GC and reads heap and descriptors. */
    private static Settled settle(String phase, DemoServer server, List<String> problems) throws Exception {
        if (!server.isAlive()) {
            throw new IllegalStateException("the demo exited during the load before the " + phase + " (exit "
                    + server.exitValue() + "); the last lines of " + server.log() + ":\n" + server.lastLines());
        }
        long start = System.nanoTime();
        try {
            await().atMost(SETTLE_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> LISTENER_KINDS.containsAll(server.channelsByKind().keySet()));
        }
        catch (ConditionTimeoutException ex) {
            problems.add(phase + ": connections still open " + SETTLE_TIMEOUT.toSeconds() + " s after the clients stopped: "
                    + server.channelsByKind());
        }
        long settled = (System.nanoTime() - start) / 1_000_000;
        return measure(phase, server, settled);
    }

    private static Settled measure(String phase, DemoServer server, long settledMillis) throws Exception {
        // the class histogram forces a full GC first; the second GC leaves nothing of the first's work
        Map<String, long[]> histogram = server
            .histogram(server.log().resolveSibling("server-histogram-" + phase + ".txt"));
        server.gc();
        double heap = server.metric("jvm.memory.used", "area:heap");
        double direct = server.metric("jvm.buffer.memory.used", "id:direct");
        double descriptors = server.metric("process.files.open");
        List<String> names = new ArrayList<>(server.channelNames());
        names.sort(null);
        return new Settled(heap, direct, descriptors, server.channelsByKind(), names, settledMillis, histogram);
    }

    /** @return the classes whose live bytes grew most from the baseline to the end */
    private static List<String> growth(Settled baseline, Settled end, int count) {
        record Growth(String name, long bytes, long instances) {
        }
        List<Growth> growth = new ArrayList<>();
        end.histogram().forEach((name, now) -> {
            long[] before = baseline.histogram().getOrDefault(name, new long[2]);
            growth.add(new Growth(name, now[0] - before[0], now[1] - before[1]));
        });
        growth.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        return growth.stream()
            .limit(count)
            .map((g) -> String.format(Locale.ROOT, "%+,d B (%+,d) %s", g.bytes(), g.instances(), g.name()))
            .toList();
    }

    /** Descriptors of connections just closed may take a moment to go: waits for them, bounded. */
    private static Settled awaitDescriptors(DemoServer server, Settled end, double limit) throws Exception {
        if (end.descriptors() <= limit) {
            return end;
        }
        try {
            await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(() -> server.metric("process.files.open") <= limit);
        }
        catch (ConditionTimeoutException ex) {
            // the check reports it
        }
        return measure("end", server, end.settledMillis());
    }

    private static void heapAfterGc(DemoServer server, List<Double> heaps) {
        try {
            server.gc();
            heaps.add(server.metric("jvm.memory.used", "area:heap"));
        }
        catch (Exception ex) {
            progress("could not read the heap after a GC: %s", ex);
        }
    }

    private static Map<String, Double> serverCounters(DemoServer server) throws IOException {
        Map<String, Double> counters = new TreeMap<>();
        counters.put("accepted", server.metric("asyncore.connections.accepted"));
        counters.put("rejected", server.metric("asyncore.connections.rejected"));
        counters.put("refused", server.metric("asyncore.connections.refused"));
        counters.put("handler errors", server.metric("asyncore.handler.errors"));
        counters.put("idle timeouts", server.metric("asyncore.timeouts", "type:idle"));
        counters.put("connect timeouts", server.metric("asyncore.timeouts", "type:connect"));
        counters.put("stalls", server.metric("asyncore.loop.stalls"));
        counters.put("read", server.metric("asyncore.bytes.read"));
        counters.put("written", server.metric("asyncore.bytes.written"));
        return counters;
    }

    /** Connections the clients made to the echo and chat listeners. */
    private static long tcpConnections(SoakStats stats) {
        long total = 0;
        for (Scenario scenario : Scenario.values()) {
            if (scenario.name().startsWith("ECHO") || scenario.name().startsWith("CHAT")) {
                total += stats.connections().getOrDefault(scenario.label(), 0L);
            }
        }
        return total;
    }

    private static void progress(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[soak %tT] " + format + "%n", prepend(java.time.LocalTime.now(), args));
        System.out.flush();
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + " s";
        }
        return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
    }

    private static String bytes(Long bytes) {
        double value = (bytes != null) ? bytes : 0;
        if (value >= 1024 * SoakReport.MIB) {
            return String.format(Locale.ROOT, "%.2f GiB", value / (1024 * SoakReport.MIB));
        }
        return String.format(Locale.ROOT, "%.1f MiB", value / SoakReport.MIB);
    }

}
