package io.github.asyncore.demo.soak;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.jayway.jsonpath.JsonPath;

/**
 * The clients: each method is one run of a {@link Scenario}, bounded by {@link #SCENARIO_TIMEOUT}, and
 * records what it did and saw in {@link SoakStats}. A wrong byte, line or answer throws
 * {@link ScenarioFailure}; an abusive client that gets its documented outcome counts it with
 * {@link SoakStats#expected}.
 */
final class Scenarios {

    static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(30);

    static final String WAITS_FOR_IDLE_TIMEOUT = "echo silent, waiting for the idle timeout";

    private static final int MAX_DATAGRAM = 65_507;

    private static final int CHAT_LINE_LIMIT = 1024;

    /** Characters of chat lines, some of them several bytes long in UTF-8. */
    private static final String[] CHAT_ALPHABET = { "a", "b", "c", "x", "y", "z", "A", "Q", "0", "7", " ", " ", ",",
            ".", "!", "?", "é", "ß", "ж", "日本", "€", "😀", "/", "[", "]", "*" };

    private final SoakStats stats;

    private final DemoServer.Ports ports;

    private final Upstreams upstreams;

    private final AtomicLong tags = new AtomicLong();

    private final Map<Integer, List<EchoUse>> echoUses = new java.util.concurrent.ConcurrentHashMap<>();

    Scenarios(SoakStats stats, DemoServer.Ports ports, Upstreams upstreams) {
        this.stats = stats;
        this.ports = ports;
        this.upstreams = upstreams;
    }

    void run(Scenario scenario, SplittableRandom random) throws IOException {
        long deadline = System.nanoTime() + SCENARIO_TIMEOUT.toNanos();
        switch (scenario) {
            case ECHO -> echo(random, deadline);
            case ECHO_HALF_CLOSE -> echoHalfClose(random, deadline);
            case ECHO_RESET -> echoReset(random, deadline);
            case ECHO_SLOW_READER -> echoSlowReader(random, deadline);
            case ECHO_SILENT -> echoSilent(random, deadline);
            case CHAT -> chat(random, deadline);
            case CHAT_OVERSIZED -> chatOversized(random, deadline);
            case CHAT_RANDOM_BYTES -> chatRandomBytes(random, deadline);
            case CHAT_SILENT -> chatSilent(random, deadline);
            case CHAT_HALF_CLOSE -> chatHalfClose(deadline);
            case UDP -> udp(random, deadline);
            case FETCH -> fetch(random);
            case FETCH_HOSTILE_URL -> fetchHostileUrl(random);
            case FETCH_HOSTILE_UPSTREAM -> fetchHostileUpstream(random);
        }
    }

    // ---------------------------------------------------------------- echo

    private void echo(SplittableRandom random, long deadline) throws IOException {
        try (EchoConnection connection = connectEcho(Scenario.ECHO)) {
            int streams = 1 + random.nextInt(3);
            for (int i = 0; i < streams; i++) {
                byte[] data = bytes(random, (int) logUniform(random, 1, 384 * 1024));
                this.stats.verified("echo bytes", connection.exchange(data, data.length, data.length, false, false,
                        null, deadline, random));
                this.stats.verified("echo streams", 1);
            }
        }
    }

    private void echoHalfClose(SplittableRandom random, long deadline) throws IOException {
        // reading late: the server meets the end-of-stream while it still owes echo
        boolean readLate = random.nextBoolean();
        byte[] data = bytes(random, readLate ? 64 * 1024 + random.nextInt(704 * 1024 + 1)
                : (int) logUniform(random, 1, 384 * 1024));
        // reading slowly too: the server's socket buffer is still full when it meets the end-of-stream
        EchoConnection.ReadPace pace = (readLate && random.nextBoolean())
                ? new EchoConnection.ReadPace(0, 1024 * 1024 + random.nextInt(3 * 1024 * 1024 + 1), 8 * 1024) : null;
        try (EchoConnection connection = connectEcho(Scenario.ECHO_HALF_CLOSE)) {
            this.stats.verified("echo bytes", connection.exchange(data, data.length, data.length, true, readLate,
                    pace, deadline, random));
            this.stats.verified("echo streams", 1);
        }
        this.stats.expected("echo half-close: every byte back, then end-of-stream ("
                + (readLate ? ((pace != null) ? "read slowly after the shutdown" : "read after the shutdown")
                        : "read while writing")
                + ")");
    }

    private void echoReset(SplittableRandom random, long deadline) throws IOException {
        byte[] data = bytes(random, (int) logUniform(random, 1, 384 * 1024));
        int written = random.nextInt(data.length + 1);
        int read = random.nextInt(written + 1);
        EchoConnection connection = connectEcho(Scenario.ECHO_RESET);
        try {
            this.stats.verified("echo bytes", connection.exchange(data, written, read, false, false, null, deadline,
                    random));
        }
        finally {
            connection.reset();
        }
        this.stats.expected("echo reset: reset (SO_LINGER 0) with " + ((written > read) ? "echo in flight" : "nothing in flight"));
    }

    private void echoSlowReader(SplittableRandom random, long deadline) throws IOException {
        byte[] data = bytes(random, 256 * 1024 + random.nextInt(1792 * 1024 + 1));
        // Loopback's socket buffers hold megabytes: the server may have written the whole echo within
        // milliseconds and then be idle while this client drains its receive buffer. The pause and the pace
        // keep that under 4 s, below the echo server's 5 s idle timeout, which would otherwise (rightly)
        // close the connection just as the client finishes.
        long bytesPerSecond = Math.max(512 * 1024 + random.nextInt(1536 * 1024 + 1), data.length * 2L / 5);
        EchoConnection.ReadPace pace = new EchoConnection.ReadPace(
                TimeUnit.MILLISECONDS.toNanos(random.nextInt(1501)), bytesPerSecond, 8 * 1024);
        try (EchoConnection connection = connectEcho(Scenario.ECHO_SLOW_READER)) {
            this.stats.verified("echo bytes",
                    connection.exchange(data, data.length, data.length, false, false, pace, deadline, random));
            this.stats.verified("echo streams", 1);
        }
        this.stats.expected("echo slow reader: every byte at the reader's pace");
    }

    private void echoSilent(SplittableRandom random, long deadline) throws IOException {
        boolean hold = random.nextBoolean();
        try (EchoConnection connection = connectEcho(Scenario.ECHO_SILENT, hold ? null : WAITS_FOR_IDLE_TIMEOUT)) {
            long start = System.nanoTime();
            if (hold) {
                int input = connection.awaitInput(start + TimeUnit.MILLISECONDS.toNanos(200 + random.nextInt(2801)));
                if (input != 0) {
                    throw new ScenarioFailure("echo silent: server spoke first", (input < 0)
                            ? "end-of-stream after " + elapsedMillis(start) + " ms, before the idle timeout"
                            : "bytes from the server to a client that sent none");
                }
                this.stats.expected("echo silent: held up to 3 s, closed by the client");
                return;
            }
            long idle = DemoServer.ECHO_IDLE_TIMEOUT.toNanos();
            int input = connection.awaitInput(Math.min(deadline, start + idle + TimeUnit.SECONDS.toNanos(10)));
            long elapsed = System.nanoTime() - start;
            if (input != -1) {
                throw new ScenarioFailure("echo silent: no idle timeout", (input == 0)
                        ? "still open after " + elapsedMillis(start) + " ms (idle timeout " + idle / 1_000_000 + " ms)"
                        : "bytes from the server to a client that sent none");
            }
            if (elapsed < idle - TimeUnit.MILLISECONDS.toNanos(100)) {
                throw new ScenarioFailure("echo silent: closed early", "end-of-stream after " + elapsed / 1_000_000
                        + " ms (idle timeout " + idle / 1_000_000 + " ms)");
            }
            this.stats.expected("echo silent: closed by the server's idle timeout");
        }
    }

    private EchoConnection connectEcho(Scenario scenario) throws IOException {
        return connectEcho(scenario, null);
    }

    private EchoConnection connectEcho(Scenario scenario, String use) throws IOException {
        long connected = System.currentTimeMillis();
        EchoConnection connection = EchoConnection.open(this.ports.echo());
        this.stats.connection(scenario.label());
        this.echoUses.computeIfAbsent(connection.localPort(), (port) -> new java.util.concurrent.CopyOnWriteArrayList<>())
            .add(new EchoUse((use != null) ? use : scenario.label(), connected));
        return connection;
    }

    /** @return every echo connection made from the port, for a report */
    List<EchoUse> echoUses(int port) {
        return this.echoUses.getOrDefault(port, List.of());
    }

    /** One echo connection from a client port: which scenario, connected when (epoch milliseconds). */
    record EchoUse(String scenario, long connectedMillis) {
    }

    /**
     * @param port a client port the server's log names
     * @param before the connection was opened before this (epoch milliseconds)
     * @return the scenario of the last echo connection from that port opened before then: a port can
     *         serve one connection to the echo server at a time, and not again while either side still
     *         holds the old one; a silent client that waits for the idle timeout is
     *         {@link #WAITS_FOR_IDLE_TIMEOUT}
     */
    String echoScenario(int port, long before) {
        String scenario = "unknown client port " + port;
        long latest = Long.MIN_VALUE;
        for (EchoUse use : this.echoUses.getOrDefault(port, List.of())) {
            if (use.connectedMillis() <= before && use.connectedMillis() > latest) {
                latest = use.connectedMillis();
                scenario = use.scenario();
            }
        }
        return scenario;
    }

    // ---------------------------------------------------------------- chat

    private void chat(SplittableRandom random, long deadline) throws IOException {
        String tag = Long.toString(this.tags.incrementAndGet(), 36);
        int count = 2 + random.nextInt(2);
        ChatClient[] clients = new ChatClient[count];
        try {
            for (int i = 0; i < count; i++) {
                clients[i] = joinChat(Scenario.CHAT, deadline);
            }
            String[] nicks = new String[count];
            for (int i = 0; i < count; i++) {
                nicks[i] = "soak" + (char) ('a' + i) + "-" + tag;
                clients[i].send("/nick " + nicks[i]);
                clients[i].await("its new nick", ("* you are now " + nicks[i])::equals);
                for (int j = 0; j < count; j++) {
                    if (j != i) {
                        String renamed = "* " + clients[i].guest() + " is now " + nicks[i];
                        clients[j].await("'" + renamed + "'", renamed::equals);
                        this.stats.verified("chat lines", 1);
                    }
                }
            }
            // each chatter says a few lines; every other chatter must see each of them, in order
            for (int i = 0; i < count; i++) {
                int lines = 1 + random.nextInt(5);
                String[] said = new String[lines];
                for (int k = 0; k < lines; k++) {
                    said[k] = chatLine(random, tag + "-" + i + "-" + k);
                    clients[i].send(said[k]);
                }
                for (int j = 0; j < count; j++) {
                    if (j == i) {
                        continue;
                    }
                    for (String line : said) {
                        String expected = "[" + nicks[i] + "] " + line;
                        clients[j].await("'" + RawHttp.abbreviate(expected) + "'", expected::equals);
                        this.stats.verified("chat lines", 1);
                    }
                }
            }
            clients[0].send("/who");
            String who = clients[0].await("the answer to /who", (line) -> line.startsWith("* in the room: "));
            List<String> present = Arrays.asList(who.substring("* in the room: ".length()).split(", "));
            for (String nick : nicks) {
                if (!present.contains(nick)) {
                    throw new ScenarioFailure("chat: /who incomplete", nick + " missing from '" + RawHttp.abbreviate(who) + "'");
                }
            }
            this.stats.verified("chat lines", 1);
            for (int i = 0; i < count; i++) {
                clients[i].send("/quit");
                clients[i].await("'* bye'", "* bye"::equals);
                clients[i].expectEndOfStream("* bye");
                this.stats.verified("chat lines", 1);
                for (int j = i + 1; j < count; j++) {
                    String left = "* " + nicks[i] + " left";
                    clients[j].await("'" + left + "'", left::equals);
                    this.stats.verified("chat lines", 1);
                }
            }
        }
        finally {
            for (ChatClient client : clients) {
                if (client != null) {
                    client.close();
                }
            }
        }
    }

    private void chatOversized(SplittableRandom random, long deadline) throws IOException {
        try (ChatClient client = joinChat(Scenario.CHAT_OVERSIZED, deadline)) {
            int length = CHAT_LINE_LIMIT + 1 + random.nextInt(3 * 1024);
            byte[] line = new byte[length + 1];
            for (int i = 0; i < length; i++) {
                line[i] = (byte) ('a' + random.nextInt(26));
            }
            line[length] = '\n';
            // one write, so that the server reads it all before it closes (unread input would mean a reset)
            client.sendRaw(random.nextBoolean() ? line : Arrays.copyOf(line, length));
            String error = "! line longer than " + CHAT_LINE_LIMIT + " bytes; closing";
            client.await("'" + error + "'", error::equals);
            client.expectEndOfStream(error);
        }
        this.stats.expected("chat oversized line: error line, then end-of-stream");
    }

    private void chatRandomBytes(SplittableRandom random, long deadline) throws IOException {
        try (ChatClient client = joinChat(Scenario.CHAT_RANDOM_BYTES, deadline)) {
            byte[] junk = bytes(random, 1 + random.nextInt(1000)); // no line can pass the limit
            int sent = 0;
            while (sent < junk.length) {
                int chunk = Math.min(junk.length - sent, 1 + random.nextInt(200));
                client.sendRaw(Arrays.copyOfRange(junk, sent, sent + chunk));
                sent += chunk;
            }
            client.sendRaw("\n/quit\n".getBytes(StandardCharsets.US_ASCII));
            client.await("'* bye'", "* bye"::equals);
            client.expectEndOfStream("* bye");
        }
        this.stats.expected("chat random bytes: session kept, /quit answered");
    }

    private void chatSilent(SplittableRandom random, long deadline) throws IOException {
        ChatClient client = joinChat(Scenario.CHAT_SILENT, deadline);
        boolean reset = random.nextBoolean();
        try {
            boolean partial = random.nextBoolean();
            if (partial) {
                client.sendRaw("a line whose terminator never comes".getBytes(StandardCharsets.US_ASCII));
            }
            hold(Duration.ofMillis(500 + random.nextInt(2501))); // reads nothing meanwhile
            if (reset) {
                client.socket().setOption(StandardSocketOptions.SO_LINGER, 0);
            }
            this.stats.expected("chat silent: " + (partial ? "half a line, " : "") + "nothing read for up to 3 s, then "
                    + (reset ? "reset" : "closed"));
        }
        finally {
            client.close();
        }
    }

    private void chatHalfClose(long deadline) throws IOException {
        try (ChatClient client = joinChat(Scenario.CHAT_HALF_CLOSE, deadline)) {
            client.send("/who");
            client.socket().shutdownOutput();
            client.await("the answer to /who", (line) -> line.startsWith("* in the room: "));
            int after = 0;
            while (client.readLine() != null) { // others' lines may come until the server closes
                after++;
                if (after > 10_000) {
                    throw new ScenarioFailure("chat half-close: no end-of-stream", "10,000 lines after /who");
                }
            }
        }
        this.stats.expected("chat half-close: /who answered, then end-of-stream");
    }

    private ChatClient joinChat(Scenario scenario, long deadline) throws IOException {
        ChatClient client = new ChatClient(this.ports.chat(), deadline);
        this.stats.connection(scenario.label());
        this.stats.verified("chat lines", 1); // the welcome
        return client;
    }

    /** A line of 1 to 300 characters, unique, that the server passes on unchanged (no trailing blank). */
    private static String chatLine(SplittableRandom random, String tag) {
        StringBuilder line = new StringBuilder("m").append(tag).append(' ');
        int length = 1 + random.nextInt(300);
        for (int i = 0; i < length; i++) {
            line.append(CHAT_ALPHABET[random.nextInt(CHAT_ALPHABET.length)]);
        }
        line.append('.');
        if (line.toString().getBytes(StandardCharsets.UTF_8).length >= CHAT_LINE_LIMIT) {
            throw new IllegalStateException("chat line too long for the test");
        }
        return line.toString();
    }

    // ---------------------------------------------------------------- UDP

    private void udp(SplittableRandom random, long deadline) throws IOException {
        InetSocketAddress server = new InetSocketAddress(RawHttp.LOOPBACK, this.ports.udp());
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(RawHttp.LOOPBACK, 0))) {
            this.stats.connection(Scenario.UDP.label());
            byte[] reply = new byte[MAX_DATAGRAM + 1];
            int datagrams = 1 + random.nextInt(20);
            for (int i = 0; i < datagrams; i++) {
                byte[] data = bytes(random, (int) logUniform(random, 1, MAX_DATAGRAM));
                socket.send(new DatagramPacket(data, data.length, server));
                DatagramPacket packet = new DatagramPacket(reply, reply.length);
                long left = Math.min(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(5));
                socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                try {
                    socket.receive(packet);
                }
                catch (SocketTimeoutException ex) {
                    throw new ScenarioFailure("udp: lost datagram", "no echo of a datagram of " + data.length
                            + " bytes within " + left / 1_000_000 + " ms");
                }
                if (!server.equals(packet.getSocketAddress())) {
                    throw new ScenarioFailure("udp: wrong sender", "reply from " + packet.getSocketAddress());
                }
                if (!Arrays.equals(data, 0, data.length, reply, 0, packet.getLength())) {
                    throw new ScenarioFailure("udp: corrupted datagram", "sent " + data.length + " bytes, got back "
                            + packet.getLength() + " different ones");
                }
                this.stats.verified("udp datagrams", 1);
                this.stats.verified("udp bytes", data.length);
            }
        }
    }

    // ---------------------------------------------------------------- GET /fetch

    private void fetch(SplittableRandom random) throws IOException {
        int size = random.nextInt(10) == 0 ? 0 : (int) logUniform(random, 1, 200 * 1024);
        long seed = random.nextLong();
        String url = this.upstreams.pageUrl(size, seed);
        RawHttp.Response response = fetch(url);
        this.stats.connection(Scenario.FETCH.label());
        String json = response.body();
        if (response.status() != 200) {
            throw new ScenarioFailure("fetch: not 200", response.status() + " for " + url + ": " + RawHttp.abbreviate(json));
        }
        int preview = Math.min(size, 1024);
        String expectedBody = new String(Upstreams.page(seed, size), 0, preview, StandardCharsets.US_ASCII);
        Map<String, String> headers = JsonPath.read(json, "$.headers");
        String seedHeader = headers.entrySet().stream()
            .filter((header) -> header.getKey().equalsIgnoreCase("X-Soak-Seed"))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElse(null);
        boolean right = url.equals(JsonPath.read(json, "$.url"))
                && "HTTP/1.1 200 OK".equals(JsonPath.read(json, "$.status"))
                && Integer.valueOf(200).equals(JsonPath.read(json, "$.statusCode"))
                && Long.toString(seed).equals(seedHeader)
                && Integer.valueOf(size).equals(JsonPath.read(json, "$.bodySize"))
                && expectedBody.equals(JsonPath.read(json, "$.body"))
                && Boolean.valueOf(size > preview).equals(JsonPath.read(json, "$.bodyTruncated"));
        if (!right) {
            throw new ScenarioFailure("fetch: wrong answer", "for a page of " + size + " bytes: " + RawHttp.abbreviate(json));
        }
        this.stats.verified("fetch responses", 1);
        this.stats.verified("fetch body bytes", size);
    }

    private void fetchHostileUrl(SplittableRandom random) throws IOException {
        int refused = this.upstreams.refusedPort();
        String target;
        String detail;
        String kind;
        switch (random.nextInt(11)) {
            case 0 -> {
                kind = "missing";
                target = "/fetch";
                detail = "the parameter 'url' is missing";
            }
            case 1 -> {
                kind = "ftp";
                target = fetchTarget("ftp://127.0.0.1:" + refused + "/file");
                detail = "only http:// and https:// URLs can be fetched, not 'ftp'";
            }
            case 2 -> {
                kind = "file";
                target = fetchTarget("file:///etc/passwd");
                detail = "only http:// and https:// URLs can be fetched, not 'file'";
            }
            case 3 -> {
                kind = "javascript";
                target = fetchTarget("javascript:alert(1)");
                detail = "only http:// and https:// URLs can be fetched, not 'javascript'";
            }
            case 4 -> {
                kind = "gopher";
                target = fetchTarget("gopher://127.0.0.1:" + refused + "/_SET%20x%201");
                detail = "only http:// and https:// URLs can be fetched, not 'gopher'";
            }
            case 5 -> {
                kind = "credentials";
                target = fetchTarget("http://user:secret@127.0.0.1:" + refused + "/");
                detail = "URLs with credentials are not fetched";
            }
            case 6 -> {
                kind = "too long";
                target = fetchTarget("http://127.0.0.1/" + "a".repeat(2049 + random.nextInt(4000)));
                detail = "at most 2048 are accepted";
            }
            case 7 -> {
                kind = "malformed";
                target = fetchTarget(random.nextBoolean() ? "http://exa mple.com/" : "http://[::1/");
                detail = "malformed URL";
            }
            case 8 -> {
                kind = "no host";
                target = fetchTarget("http:///etc/passwd");
                detail = "the URL names no host";
            }
            case 9 -> {
                kind = "no scheme";
                target = fetchTarget("//127.0.0.1:" + refused + "/");
                detail = "a URL without a scheme";
            }
            default -> {
                kind = "past the web server's header limit";
                target = fetchTarget("http://127.0.0.1/" + "a".repeat(16 * 1024 + random.nextInt(64 * 1024)));
                detail = null; // Tomcat refuses the request line itself, before the controller
            }
        }
        RawHttp.Response response = RawHttp.get(this.ports.web(), target, Duration.ofSeconds(20));
        this.stats.connection(Scenario.FETCH_HOSTILE_URL.label());
        expectStatus(response, 400, detail, kind);
        this.stats.expected("fetch hostile URL: 400 (" + kind + ")");
    }

    private void fetchHostileUpstream(SplittableRandom random) throws IOException {
        String url;
        int status;
        String detail;
        String kind;
        switch (random.nextInt(6)) {
            case 0 -> {
                kind = "silent";
                url = this.upstreams.silentUrl();
                status = 504;
                detail = "sent nothing for " + DemoServer.FETCH_READ_TIMEOUT.toMillis() + " ms";
            }
            case 1 -> {
                kind = "not HTTP";
                url = this.upstreams.notHttpUrl();
                status = 502;
                detail = "is not HTTP";
            }
            case 2 -> {
                kind = "endless headers";
                url = this.upstreams.endlessHeadersUrl();
                status = 502;
                detail = "sent response headers of more than 8192 bytes";
            }
            case 3 -> {
                kind = "too large";
                url = this.upstreams.pageUrl(DemoServer.FETCH_MAX_RESPONSE + 1 + random.nextInt(64 * 1024),
                        random.nextLong());
                status = 502;
                detail = "sent more than " + DemoServer.FETCH_MAX_RESPONSE + " bytes";
            }
            case 4 -> {
                kind = "refused";
                url = this.upstreams.refusedUrl();
                status = 502;
                detail = "could not connect to";
            }
            default -> {
                kind = "never accepts";
                url = this.upstreams.neverAcceptsUrl();
                status = 504;
                detail = "within " + DemoServer.FETCH_CONNECT_TIMEOUT.toMillis() + " ms";
            }
        }
        RawHttp.Response response = fetch(url);
        this.stats.connection(Scenario.FETCH_HOSTILE_UPSTREAM.label());
        expectStatus(response, status, detail, kind);
        this.stats.expected("fetch hostile upstream: " + status + " (" + kind + ")");
    }

    private RawHttp.Response fetch(String url) throws IOException {
        return RawHttp.get(this.ports.web(), fetchTarget(url), Duration.ofSeconds(20));
    }

    private static String fetchTarget(String url) {
        return "/fetch?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8);
    }

    private static void expectStatus(RawHttp.Response response, int status, String detail, String kind) {
        if (response.status() != status) {
            throw new ScenarioFailure("fetch " + kind + ": " + response.status() + " instead of " + status,
                    RawHttp.abbreviate(response.body()));
        }
        if (detail == null) {
            return;
        }
        String type = response.header("Content-Type");
        if (type == null || !type.startsWith("application/problem+json")) {
            throw new ScenarioFailure("fetch " + kind + ": not a problem", "Content-Type " + type);
        }
        String actual = JsonPath.read(response.body(), "$.detail");
        if (actual == null || !actual.contains(detail)) {
            throw new ScenarioFailure("fetch " + kind + ": wrong detail", "'" + actual + "', expected '" + detail + "'");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Holds a connection for a while: pacing, not waiting for a condition. */
    private static void hold(Duration duration) {
        CompletableFuture.runAsync(() -> {
        }, CompletableFuture.delayedExecutor(duration.toNanos(), TimeUnit.NANOSECONDS)).join();
    }

    private static byte[] bytes(SplittableRandom random, int size) {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return data;
    }

    /** @return from {@code min} to {@code max}, small values as likely as large orders of magnitude */
    private static long logUniform(SplittableRandom random, long min, long max) {
        double low = Math.log(min);
        double high = Math.log(max + 1.0);
        return Math.min(max, (long) Math.exp(low + random.nextDouble() * (high - low)));
    }

    private static long elapsedMillis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

}
