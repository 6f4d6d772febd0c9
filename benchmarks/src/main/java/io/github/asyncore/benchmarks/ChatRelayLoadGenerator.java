package io.github.asyncore.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Load generator of the chat relay benchmark ({@code benchmarks/scripts/chat-relay.sh}): senders chat on one
 * demo instance's line chat, readers listen on another's (or on the same one), and it counts and times the
 * lines the readers hear. One thread, one JDK NIO selector, 127.0.0.1 only.
 * <p>
 * What it relies on of the chat: each connection is greeted by a line starting with {@code * welcome}; a line a
 * chatter sends reaches every other chatter as {@code [nick] text}; lines starting with {@code * } are notices
 * (joins, renames, the relay's state) and are skipped; a line starting with {@code !} is a refusal (the rate
 * limit) and counts as an error. Nicks are never set nor read: the text itself says which sender sent it.
 * <ol>
 * <li>Opens {@code --readers} reader connections to {@code --read-port} and {@code --senders} sender connections to
 * {@code --send-port}, and waits for every welcome.</li>
 * <li>Join: every sender sends a marker line every 50 ms until every reader has heard a marker of every
 * sender (with the Redis relay: until the instances' subscriptions carry lines).</li>
 * <li>{@code throughput}: each sender sends 64-byte lines ({@code D}, its number, its sequence number, the
 * send time, padding) with at most {@code -W} of its lines not yet heard by the slowest reader: a closed loop,
 * so no queue on the way (the relay's 10,000-line publisher queue included) grows without bound, and the rate
 * is what the whole path sustains. The first {@code -w} seconds are warm-up, the next {@code -t} measured.
 * Senders read and discard what they hear of each other.</li>
 * <li>{@code latency}: one line every {@code --interval-us} (the first {@code --warm-count} not recorded, then
 * {@code --count}), each carrying {@code System.nanoTime()} taken just before its write; a reader's sample is the
 * time after the read that brought the line, less that. The sender paces with the selector's millisecond
 * timeout, so the actual interval is reported ({@code interval_us}).</li>
 * </ol>
 * Every reader checks each sender's sequence numbers: a number past the next expected one counts the skipped
 * lines as {@code missing} (lost on the way, e.g. dropped by the relay), one before it as {@code reordered}.
 * Missing lines do not stall the closed loop: a sender's window moves with the highest number its slowest
 * reader heard.
 * <p>
 * Prints one {@code chat_relay_loadgen} line of {@code key=value} words. Throughput: {@code lines} (lines the
 * average reader heard in the window), {@code lines_per_s} (per reader: with the readers on another instance,
 * the lines that crossed the relay per second), {@code deliveries} and {@code deliveries_per_s} (all readers
 * together). Latency: {@code samples}, {@code p50_us}, {@code p90_us}, {@code p99_us}, {@code max_us},
 * {@code mean_us}, {@code interval_us}. Both: {@code missing}, {@code reordered}, {@code errors}, and with
 * {@code --pid NAME=PID} (repeatable) the CPU each process spent in the measured part, {@code cpu_NAME_cores}
 * and {@code cpu_NAME_us_per_line} ({@code /proc/PID/stat}, all threads), with {@code client_cores},
 * {@code busy_cores} and {@code foreign_cores} (busy less the named processes less this one). Exit status 1
 * on any error, missing or reordered line.
 * <p>
 * Bounds: 10 s per connect, 30 s for the welcomes, 30 s to join, a stall of 10 s without a data line ends
 * the run with an error, and the run ends at its planned length + 60 s whatever happens.
 * <p>
 * {@code java -cp asyncore-benchmarks.jar -Dloader.main=io.github.asyncore.benchmarks.ChatRelayLoadGenerator
 * org.springframework.boot.loader.launch.PropertiesLauncher --mode throughput|latency --send-port P
 * [--read-port Q] [--senders 4] [--readers 4] [-W 64] [-w 2] [-t 5] [--interval-us 2000] [--count 5000]
 * [--warm-count 500] [--pid a=PID ...] [--clk-tck 100]}
 */
public final class ChatRelayLoadGenerator {

    static final int LINE = 64;

    /** Where the fields start in a data line: {@code D}, sender (3 digits), sequence (12), time (16). */
    private static final int SENDER_AT = 1;

    private static final int SEQ_AT = 5;

    private static final int TIME_AT = 18;

    private static final int PAD_AT = 35;

    private static final long CONNECT_TIMEOUT_MS = 10_000;

    private static final long WELCOME_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private static final long JOIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private static final long STALL_NS = TimeUnit.SECONDS.toNanos(10);

    private static final long MARKER_EVERY_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private static final int MAX_SENDERS = 999;

    private ChatRelayLoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Run run = new Run(options);
        boolean ok;
        try {
            ok = run.execute();
        }
        finally {
            run.closeAll();
        }
        System.exit(ok ? 0 : 1);
    }

    static final class Options {

        String mode = "throughput";

        int sendPort = -1;

        int readPort = -1;

        int senders = 4;

        int readers = 4;

        int window = 64;

        double warmSeconds = 2;

        double seconds = 5;

        long intervalUs = 2000;

        int count = 5000;

        int warmCount = 500;

        long clockTicks = 100;

        final List<String> pidNames = new ArrayList<>();

        final List<Long> pids = new ArrayList<>();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String value = (i + 1 < args.length) ? args[i + 1] : null;
                if (value == null) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                switch (args[i++]) {
                    case "--mode" -> o.mode = value;
                    case "--send-port" -> o.sendPort = Integer.parseInt(value);
                    case "--read-port" -> o.readPort = Integer.parseInt(value);
                    case "--senders" -> o.senders = Integer.parseInt(value);
                    case "--readers" -> o.readers = Integer.parseInt(value);
                    case "-W" -> o.window = Integer.parseInt(value);
                    case "-w" -> o.warmSeconds = Double.parseDouble(value);
                    case "-t" -> o.seconds = Double.parseDouble(value);
                    case "--interval-us" -> o.intervalUs = Long.parseLong(value);
                    case "--count" -> o.count = Integer.parseInt(value);
                    case "--warm-count" -> o.warmCount = Integer.parseInt(value);
                    case "--clk-tck" -> o.clockTicks = Long.parseLong(value);
                    case "--pid" -> {
                        int eq = value.indexOf('=');
                        if (eq < 1) {
                            throw new IllegalArgumentException("--pid NAME=PID, was " + value);
                        }
                        o.pidNames.add(value.substring(0, eq));
                        o.pids.add(Long.parseLong(value.substring(eq + 1)));
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
                }
            }
            if (o.readPort <= 0) {
                o.readPort = o.sendPort;
            }
            boolean latency = o.mode.equals("latency");
            if (!(latency || o.mode.equals("throughput")) || o.sendPort <= 0 || o.senders < 1
                    || o.senders > MAX_SENDERS || o.readers < 1 || o.window < 1 || o.seconds <= 0
                    || o.warmSeconds < 0 || o.intervalUs < 100 || o.count < 1 || o.warmCount < 0
                    || (latency && o.senders != 1)) {
                throw new IllegalArgumentException("usage: --mode throughput|latency --send-port P [--read-port Q]"
                        + " [--senders 4 (latency: 1)] [--readers 4] [-W 64] [-w 2] [-t 5] [--interval-us 2000]"
                        + " [--count 5000] [--warm-count 500] [--pid NAME=PID ...] [--clk-tck 100]");
            }
            return o;
        }

    }

    /** One connection: a sender or a reader. */
    static final class Conn {

        final boolean sender;

        final int index;

        final SocketChannel channel;

        SelectionKey key;

        /** What was read and not yet split into lines. */
        final ByteBuffer in = ByteBuffer.allocate(64 * 1024);

        /** A sender's unsent bytes (ready to drain). */
        final ByteBuffer out;

        boolean welcomed;

        /** A reader's: whether it heard a marker of each sender; the next sequence number of each. */
        final boolean[] markerSeen;

        final long[] expected;

        int markersSeen;

        Conn(boolean sender, int index, SocketChannel channel, int senders) {
            this.sender = sender;
            this.index = index;
            this.channel = channel;
            this.out = sender ? ByteBuffer.allocate(16 * 1024).flip() : null;
            this.markerSeen = new boolean[senders];
            this.expected = new long[senders];
        }

    }

    static final class Run {

        final Options o;

        final Conn[] senders;

        final Conn[] readers;

        Selector selector;

        /** Per sender: lines sent; the lowest next-expected number over the readers (heard by all below it). */
        final long[] sent;

        final long[] heard;

        /** All data lines heard by all readers, the time of the last one, lines missing, reordered. */
        long received;

        long lastProgress;

        long missing;

        long reordered;

        long unexpected;

        long notices;

        long errors;

        String firstError;

        /** Latency mode: the samples (ns) of the recorded lines, -1 until heard. */
        long[] samples;

        /** When the run started: the send times in data lines are counted from here. */
        final long base = System.nanoTime();

        Run(Options o) {
            this.o = o;
            this.senders = new Conn[o.senders];
            this.readers = new Conn[o.readers];
            this.sent = new long[o.senders];
            this.heard = new long[o.senders];
        }

        boolean execute() throws IOException {
            boolean latency = this.o.mode.equals("latency");
            double planned = latency
                    ? (this.o.count + this.o.warmCount) * this.o.intervalUs * 3 / 1e6 // ms-granular pacing
                    : this.o.warmSeconds + this.o.seconds;
            long hardEnd = System.nanoTime() + (long) ((planned + 60) * 1e9);
            this.selector = Selector.open();
            CpuTimes cpu = new CpuTimes(this.o);
            try {
                for (int i = 0; i < this.o.readers; i++) {
                    this.readers[i] = connect(false, i, this.o.readPort);
                }
                for (int i = 0; i < this.o.senders; i++) {
                    this.senders[i] = connect(true, i, this.o.sendPort);
                }
            }
            catch (IOException ex) {
                error("connect: " + ex);
                return report(latency, cpu, 0, 0);
            }
            if (!welcome(Math.min(hardEnd, System.nanoTime() + WELCOME_TIMEOUT_NS))
                    || !join(Math.min(hardEnd, System.nanoTime() + JOIN_TIMEOUT_NS))) {
                return report(latency, cpu, 0, 0);
            }
            return latency ? latency(hardEnd, cpu) : throughput(hardEnd, cpu);
        }

        private Conn connect(boolean sender, int index, int port) throws IOException {
            SocketChannel channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(new InetSocketAddress("127.0.0.1", port), (int) CONNECT_TIMEOUT_MS);
            channel.configureBlocking(false);
            Conn conn = new Conn(sender, index, channel, this.o.senders);
            conn.key = channel.register(this.selector, SelectionKey.OP_READ, conn);
            return conn;
        }

        private boolean welcome(long deadline) throws IOException {
            while (!allWelcomed()) {
                if (System.nanoTime() > deadline) {
                    error("not every connection was welcomed within 30 s");
                    return false;
                }
                this.selector.select(this::event, 50);
                if (this.errors > 0) {
                    return false;
                }
            }
            return true;
        }

        private boolean allWelcomed() {
            for (Conn c : this.senders) {
                if (!c.welcomed) {
                    return false;
                }
            }
            for (Conn c : this.readers) {
                if (!c.welcomed) {
                    return false;
                }
            }
            return true;
        }

        /** Markers every 50 ms from each sender until every reader heard one of each. */
        private boolean join(long deadline) throws IOException {
            long nextMarker = 0;
            while (!allJoined()) {
                long now = System.nanoTime();
                if (now > deadline) {
                    error("the readers did not hear every sender within 30 s");
                    return false;
                }
                if (now >= nextMarker) {
                    for (Conn s : this.senders) {
                        if (!s.out.hasRemaining()) {
                            s.out.clear();
                            s.out.put(markerLine(s.index)).flip();
                        }
                        write(s);
                    }
                    nextMarker = now + MARKER_EVERY_NS;
                }
                this.selector.select(this::event, 10);
                if (this.errors > 0) {
                    return false;
                }
            }
            return true;
        }

        private boolean allJoined() {
            for (Conn r : this.readers) {
                if (r.markersSeen < this.o.senders) {
                    return false;
                }
            }
            return true;
        }

        private boolean throughput(long hardEnd, CpuTimes cpu) throws IOException {
            long start = System.nanoTime();
            long windowStart = start + (long) (this.o.warmSeconds * 1e9);
            long windowEnd = windowStart + (long) (this.o.seconds * 1e9);
            this.lastProgress = start;
            long before = 0;
            long actualStart = 0;
            boolean started = false;
            while (this.errors == 0) {
                long now = System.nanoTime();
                if (!started && now >= windowStart) {
                    started = true;
                    actualStart = now;
                    before = this.received;
                    cpu.start();
                }
                if (now >= windowEnd) {
                    break;
                }
                if (now - this.lastProgress > STALL_NS || now > hardEnd) {
                    error("stalled: no line heard for 10 s (sent " + Arrays.toString(this.sent) + ")");
                    break;
                }
                for (Conn s : this.senders) {
                    fill(s);
                }
                this.selector.select(this::event, 100);
            }
            long end = System.nanoTime();
            if (!started || this.errors > 0) {
                return report(false, cpu, 0, 0);
            }
            cpu.end();
            return report(false, cpu, this.received - before, (end - actualStart) / 1e9);
        }

        /** Adds the lines the sender's window allows, and writes. */
        private void fill(Conn s) throws IOException {
            int i = s.index;
            if (this.sent[i] - this.heard[i] < this.o.window) {
                s.out.compact();
                while (this.sent[i] - this.heard[i] < this.o.window && s.out.remaining() >= LINE) {
                    dataLine(i, this.sent[i]++, System.nanoTime() - this.base, s.out);
                }
                s.out.flip();
            }
            write(s);
        }

        private boolean latency(long hardEnd, CpuTimes cpu) throws IOException {
            Conn s = this.senders[0];
            int total = this.o.warmCount + this.o.count;
            this.samples = new long[this.o.count];
            Arrays.fill(this.samples, -1);
            long interval = TimeUnit.MICROSECONDS.toNanos(this.o.intervalUs);
            long next = System.nanoTime();
            long firstRecorded = 0;
            long lastSent = 0;
            this.lastProgress = next;
            while (this.errors == 0 && this.sent[0] < total) {
                long now = System.nanoTime();
                if (now > hardEnd || now - this.lastProgress > STALL_NS) {
                    error("stalled: no line heard for 10 s (sent " + this.sent[0] + ")");
                    break;
                }
                if (now >= next && !s.out.hasRemaining()) {
                    if (this.sent[0] == this.o.warmCount) {
                        firstRecorded = now;
                        cpu.start();
                    }
                    s.out.clear();
                    long t = System.nanoTime();
                    dataLine(0, this.sent[0]++, t - this.base, s.out);
                    s.out.flip();
                    write(s);
                    lastSent = t;
                    next = Math.max(next + interval, now); // behind: no burst to catch up
                }
                long waitMs = Math.max(1, (next - System.nanoTime()) / 1_000_000);
                this.selector.select(this::event, waitMs);
            }
            long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (this.errors == 0 && this.heard[0] < total && System.nanoTime() < drainEnd) {
                this.selector.select(this::event, 10);
            }
            cpu.end();
            if (this.errors == 0 && this.heard[0] < total) {
                this.missing += (total - this.heard[0]) * this.o.readers;
            }
            double seconds = (lastSent - firstRecorded) / 1e9;
            long recorded = Arrays.stream(this.samples).filter((v) -> v >= 0).count();
            return report(true, cpu, recorded, seconds);
        }

        private void write(Conn s) throws IOException {
            if (s.out.hasRemaining()) {
                s.channel.write(s.out);
            }
            int ops = s.out.hasRemaining() ? (SelectionKey.OP_READ | SelectionKey.OP_WRITE) : SelectionKey.OP_READ;
            if (s.key.isValid() && s.key.interestOps() != ops) {
                s.key.interestOps(ops);
            }
        }

        private void event(SelectionKey key) {
            Conn c = (Conn) key.attachment();
            try {
                if (key.isReadable()) {
                    read(c);
                }
                if (key.isValid() && key.isWritable()) {
                    write(c);
                }
            }
            catch (IOException ex) {
                error((c.sender ? "sender " : "reader ") + c.index + ": " + ex);
                key.cancel();
            }
        }

        private void read(Conn c) throws IOException {
            int n = c.channel.read(c.in);
            if (n < 0) {
                error((c.sender ? "sender " : "reader ") + c.index + ": the server closed the connection");
                c.key.cancel();
                return;
            }
            long now = System.nanoTime();
            byte[] a = c.in.array();
            int end = c.in.position();
            int from = 0;
            for (int i = 0; i < end; i++) {
                if (a[i] == '\n') {
                    int to = (i > from && a[i - 1] == '\r') ? i - 1 : i;
                    line(c, a, from, to, now);
                    from = i + 1;
                }
            }
            if (from == 0 && end == a.length) {
                error("a line longer than " + a.length + " bytes");
                c.in.clear();
                return;
            }
            c.in.position(from);
            c.in.limit(end);
            c.in.compact();
        }

        /** One line heard on {@code c}, bytes {@code from} to {@code to} (without the line end). */
        private void line(Conn c, byte[] a, int from, int to, long now) {
            int length = to - from;
            if (length >= 2 && a[from] == '*' && a[from + 1] == ' ') {
                if (!c.welcomed && startsWith(a, from, to, "* welcome")) {
                    c.welcomed = true;
                }
                this.notices++;
                return;
            }
            if (length >= 1 && a[from] == '!') {
                error((c.sender ? "sender " : "reader ") + c.index + " was told: "
                        + new String(a, from, length, StandardCharsets.UTF_8));
                return;
            }
            int text = -1;
            if (length >= 1 && a[from] == '[') {
                for (int i = from + 1; i + 1 < to; i++) {
                    if (a[i] == ']' && a[i + 1] == ' ') {
                        text = i + 2;
                        break;
                    }
                }
            }
            if (text < 0 || c.sender) { // senders hear each other's lines: nothing to check there
                if (text < 0) {
                    this.unexpected++;
                }
                return;
            }
            if (to - text == LINE - 1 && a[text] == 'M') {
                int sender = digits(a, text + SENDER_AT, 3);
                if (sender >= 0 && sender < this.o.senders && !c.markerSeen[sender]) {
                    c.markerSeen[sender] = true;
                    c.markersSeen++;
                }
                return;
            }
            if (to - text != LINE - 1 || a[text] != 'D') {
                this.unexpected++;
                return;
            }
            int sender = digits(a, text + SENDER_AT, 3);
            long seq = digitsLong(a, text + SEQ_AT, 12);
            long sentAt = digitsLong(a, text + TIME_AT, 16);
            if (sender < 0 || sender >= this.o.senders || seq < 0 || sentAt < 0) {
                this.unexpected++;
                return;
            }
            long expected = c.expected[sender];
            if (seq < expected) {
                this.reordered++;
                return;
            }
            this.missing += seq - expected;
            c.expected[sender] = seq + 1;
            this.received++;
            this.lastProgress = now;
            if (this.samples != null && seq >= this.o.warmCount && seq - this.o.warmCount < this.samples.length) {
                this.samples[(int) (seq - this.o.warmCount)] = (now - this.base) - sentAt;
            }
            long lowest = Long.MAX_VALUE;
            for (Conn r : this.readers) {
                lowest = Math.min(lowest, r.expected[sender]);
            }
            this.heard[sender] = lowest;
        }

        void error(String message) {
            this.errors++;
            if (this.firstError == null) {
                this.firstError = message;
            }
        }

        void closeAll() {
            for (Conn[] conns : List.of(this.senders, this.readers)) {
                for (Conn c : conns) {
                    if (c != null) {
                        try {
                            c.channel.close();
                        }
                        catch (IOException ex) {
                            // at the end of the run; nothing to report
                        }
                    }
                }
            }
            if (this.selector != null) {
                try {
                    this.selector.close();
                }
                catch (IOException ex) {
                    // at the end of the run; nothing to report
                }
            }
        }

        /**
         * Prints the result line. {@code deliveries}: data lines the readers heard in the measured part;
         * {@code seconds}: its length (0 when it was not reached).
         */
        private boolean report(boolean latency, CpuTimes cpu, long deliveries, double seconds) {
            ResultLine text = new ResultLine("chat_relay_loadgen");
            text.word("mode", this.o.mode);
            text.word("senders", this.o.senders);
            text.word("readers", this.o.readers);
            text.word("seconds", ResultLine.round(seconds, 3));
            double lines = (double) deliveries / this.o.readers;
            if (latency) {
                long[] heard = (this.samples == null) ? new long[0]
                        : Arrays.stream(this.samples).filter((v) -> v >= 0).sorted().toArray();
                text.word("samples", heard.length);
                text.word("interval_us", (this.o.count > 1 && seconds > 0)
                        ? ResultLine.round(seconds * 1e6 / (this.o.count - 1), 0) : "nan");
                text.word("p50_us", percentile(heard, 0.50));
                text.word("p90_us", percentile(heard, 0.90));
                text.word("p99_us", percentile(heard, 0.99));
                text.word("max_us", (heard.length > 0) ? ResultLine.round(heard[heard.length - 1] / 1e3, 0) : "nan");
                text.word("mean_us", (heard.length > 0)
                        ? ResultLine.round(Arrays.stream(heard).average().orElse(0) / 1e3, 0) : "nan");
            }
            else {
                text.word("window", this.o.window);
                text.word("lines", ResultLine.round(lines, 0));
                text.word("lines_per_s", (seconds > 0) ? ResultLine.round(lines / seconds, 0) : "0");
                text.word("deliveries", deliveries);
                text.word("deliveries_per_s", (seconds > 0) ? ResultLine.round(deliveries / seconds, 0) : "0");
            }
            text.word("missing", this.missing);
            text.word("reordered", this.reordered);
            text.word("unexpected", this.unexpected);
            text.word("notices", this.notices);
            text.word("errors", this.errors);
            cpu.appendTo(text, lines, seconds);
            System.out.println(text);
            if (this.firstError != null) {
                System.err.println("first error: " + this.firstError);
            }
            return this.errors == 0 && this.missing == 0 && this.reordered == 0 && deliveries > 0;
        }

    }

    /** The {@code q}-quantile of sorted nanoseconds, in whole microseconds (nearest rank), or nan. */
    static String percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return "nan";
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return ResultLine.round(sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e3, 0);
    }

    /** Data line: {@code D}, sender (3 digits), space, sequence (12), space, time (16), space, padding, \n. */
    static void dataLine(int sender, long seq, long time, ByteBuffer into) {
        int at = into.position();
        byte[] a = into.array();
        Arrays.fill(a, at, at + LINE - 1, (byte) ' ');
        a[at] = 'D';
        putDigits(a, at + SENDER_AT, 3, sender);
        putDigits(a, at + SEQ_AT, 12, seq);
        putDigits(a, at + TIME_AT, 16, time);
        for (int i = PAD_AT; i < LINE - 1; i++) {
            a[at + i] = (byte) ('a' + (int) ((seq + i) % 26));
        }
        a[at + LINE - 1] = '\n';
        into.position(at + LINE);
    }

    /** Marker line: {@code M}, sender (3 digits), dashes, \n. */
    static byte[] markerLine(int sender) {
        byte[] line = new byte[LINE];
        Arrays.fill(line, (byte) '-');
        line[0] = 'M';
        putDigits(line, SENDER_AT, 3, sender);
        line[LINE - 1] = '\n';
        return line;
    }

    private static void putDigits(byte[] a, int at, int width, long value) {
        long v = value;
        for (int i = width - 1; i >= 0; i--) {
            a[at + i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
    }

    /** @return the decimal number in {@code a[at, at + width)}, or -1 if it is not all digits */
    private static int digits(byte[] a, int at, int width) {
        long v = digitsLong(a, at, width);
        return (v > Integer.MAX_VALUE) ? -1 : (int) v;
    }

    private static long digitsLong(byte[] a, int at, int width) {
        long v = 0;
        for (int i = at; i < at + width; i++) {
            if (a[i] < '0' || a[i] > '9') {
                return -1;
            }
            v = v * 10 + (a[i] - '0');
        }
        return v;
    }

    private static boolean startsWith(byte[] a, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (a[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The CPU time of the named processes, of this one and of the machine over the measured part
     * ({@link CpuWindow}'s readings, for several processes).
     */
    static final class CpuTimes {

        private final Options o;

        private final double tick;

        private long[][] start;

        private long[][] end;

        private long[] machineStart;

        private long[] machineEnd;

        CpuTimes(Options o) {
            this.o = o;
            this.tick = 1.0 / o.clockTicks;
        }

        void start() {
            this.start = read();
            this.machineStart = CpuWindow.machineTicks();
        }

        void end() {
            this.end = read();
            this.machineEnd = CpuWindow.machineTicks();
        }

        /** The named processes' user and system ticks, then this process's; null where unreadable. */
        private long[][] read() {
            long[][] ticks = new long[this.o.pids.size() + 1][];
            for (int i = 0; i < this.o.pids.size(); i++) {
                ticks[i] = CpuWindow.processTicks(this.o.pids.get(i));
            }
            ticks[this.o.pids.size()] = CpuWindow.processTicks(ProcessHandle.current().pid());
            return ticks;
        }

        private double seconds(int i) {
            if (this.start == null || this.end == null || this.start[i] == null || this.end[i] == null) {
                return -1;
            }
            return ((this.end[i][0] + this.end[i][1]) - (this.start[i][0] + this.start[i][1])) * this.tick;
        }

        /** {@code cpu_NAME_cores}, {@code cpu_NAME_us_per_line}, {@code client_cores}, busy and foreign cores. */
        void appendTo(ResultLine line, double lines, double window) {
            if (window <= 0) {
                return;
            }
            double known = 0;
            for (int i = 0; i < this.o.pids.size(); i++) {
                double s = seconds(i);
                if (s < 0) {
                    continue;
                }
                known += s;
                String name = this.o.pidNames.get(i);
                line.word("cpu_" + name + "_cores", ResultLine.round(s / window, 3));
                line.word("cpu_" + name + "_us_per_line", (lines > 0) ? ResultLine.round(s * 1e6 / lines, 2) : "nan");
            }
            double client = seconds(this.o.pids.size());
            if (client >= 0) {
                known += client;
                line.word("client_cores", ResultLine.round(client / window, 3));
            }
            if (this.machineStart != null && this.machineEnd != null) {
                double busy = (this.machineEnd[0] - this.machineStart[0]) * this.tick / window;
                line.word("busy_cores", ResultLine.round(busy, 2));
                line.word("foreign_cores", ResultLine.round(busy - known / window, 2));
            }
        }

    }

}
