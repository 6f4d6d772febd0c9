package io.github.asyncore.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Load generator of the broadcast (fan-out) benchmark ({@code benchmarks/scripts/fanout-compare.sh}, servers
 * in {@link FanoutServers}): one thread, one JDK NIO selector, 127.0.0.1 only.
 * <ol>
 * <li>Opens {@code -n} member connections (at most 256 connecting at once), then one sender connection.</li>
 * <li>Join: the sender sends a marker line every 50 ms until every member has received one (a member counts
 * as joined once the server delivers to it). Markers arrive before any data line, since they share the
 * sender's connection.</li>
 * <li>Data: the sender sends 64-byte lines (63 bytes and {@code \n}): {@code D}, the sequence number in 19
 * digits, 43 bytes derived from it. At most {@code -W} lines (default 16) are in flight at the slowest
 * member: line {@code s} is sent only once every member has received line {@code s - W}. So nothing queues
 * without bound anywhere, and the rate is whatever the server and this process sustain together.</li>
 * <li>Every member checks every line it receives byte for byte against the line of the sequence number it
 * expects next (content and order; a line of the wrong length shows up as a mismatch of the next one) and
 * counts it. The first {@code -w} seconds (default 2) are warm-up, the next {@code -t} (default 5) are
 * measured: {@code msgs} = lines received by members inside the window.</li>
 * </ol>
 * Prints one line of {@code key=value} words: {@code members}, {@code window}, {@code lines} (lines delivered
 * to every member in the window), {@code msgs} and {@code msgs_per_s} (deliveries: lines x members),
 * {@code errors} (connect failures, early end of stream, I/O errors, bytes to the sender, a stall), {@code
 * mismatches} (lines that differ from the expected ones), {@code server_cpu_s} and {@code server_us_per_msg}
 * (the server's user + system CPU time, all threads, from {@code /proc/PID/stat} at the window's start and
 * end, per delivered message; with {@code --server-pid}), {@code server_user_us_per_msg} and
 * {@code server_sys_us_per_msg} (the same split into user and kernel time), {@code client_cpu_s}, {@code busy_cores},
 * {@code foreign_cores} (busy less server less this process), {@code steal_cores}, {@code connect_s} and
 * {@code join_s}. Exit status 1 on any error or mismatch.
 * <p>
 * Bounds: 30 s to connect everything, 30 s to join, a stall of 10 s without a delivery ends the run with an
 * error, and the whole run ends at {@code warm-up + window + 70 s} whatever happens.
 * <p>
 * {@code java -cp asyncore-benchmarks.jar -Dloader.main=io.github.asyncore.benchmarks.FanoutLoadGenerator
 * org.springframework.boot.loader.launch.PropertiesLauncher -p PORT [-n 100] [-W 16] [-w 2] [-t 5]
 * [--server-pid PID] [--clk-tck 100]}
 */
public final class FanoutLoadGenerator {

    static final int LINE = 64;

    private static final int PAYLOAD_START = 20;

    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private static final long JOIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private static final long STALL_NS = TimeUnit.SECONDS.toNanos(10);

    private static final int MAX_CONNECTING = 256;

    private FanoutLoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        int port = -1;
        int members = 100;
        int window = 16;
        double warmSeconds = 2;
        double seconds = 5;
        long serverPid = -1;
        long clockTicks = 100;
        for (int i = 0; i < args.length; i++) {
            String value = (i + 1 < args.length) ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i++]) {
                case "-p" -> port = Integer.parseInt(value);
                case "-n" -> members = Integer.parseInt(value);
                case "-W" -> window = Integer.parseInt(value);
                case "-w" -> warmSeconds = Double.parseDouble(value);
                case "-t" -> seconds = Double.parseDouble(value);
                case "--server-pid" -> serverPid = Long.parseLong(value);
                case "--clk-tck" -> clockTicks = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
            }
        }
        if (port <= 0 || members <= 0 || window <= 0 || window > 4096 || seconds <= 0 || warmSeconds < 0) {
            throw new IllegalArgumentException("usage: -p PORT [-n 100] [-W 16 (1-4096)] [-w 2] [-t 5]"
                    + " [--server-pid PID] [--clk-tck 100]");
        }
        Run run = new Run(new InetSocketAddress("127.0.0.1", port), members, window);
        boolean ok;
        try {
            ok = run.execute(warmSeconds, seconds, serverPid, clockTicks);
        }
        finally {
            run.closeAll();
        }
        System.exit(ok ? 0 : 1);
    }

    /** The bytes of data line {@code seq} (63 bytes and {@code \n}) into {@code into} at {@code at}. */
    static void dataLine(long seq, byte[] into, int at) {
        into[at] = 'D';
        long value = seq;
        for (int i = 19; i >= 1; i--) {
            into[at + i] = (byte) ('0' + (value % 10));
            value /= 10;
        }
        for (int i = PAYLOAD_START; i < LINE - 1; i++) {
            into[at + i] = (byte) ('a' + (int) ((seq * 7 + i) % 26));
        }
        into[at + LINE - 1] = '\n';
    }

    /** Marker line {@code id}: {@code M}, the id in 19 digits, dashes, {@code \n}. */
    static byte[] markerLine(long id) {
        byte[] line = new byte[LINE];
        Arrays.fill(line, (byte) '-');
        line[0] = 'M';
        byte[] digits = String.format(Locale.ROOT, "%019d", id).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, line, 1, 19);
        line[LINE - 1] = '\n';
        return line;
    }

    static final class Member {

        final int index;

        SocketChannel channel;

        SelectionKey key;

        boolean connected;

        /** A line split between reads. */
        final byte[] carry = new byte[LINE];

        int carryLength;

        boolean joined;

        /** The next data line this member expects. */
        long expected;

        boolean failed;

        Member(int index) {
            this.index = index;
        }

    }

    static final class Run {

        final InetSocketAddress address;

        final int memberCount;

        final int window;

        final Member[] members;

        SocketChannel sender;

        SelectionKey senderKey;

        Selector selector;

        /** The expected lines in flight, by sequence number modulo the ring; and how many members got each. */
        final byte[] ring;

        final int[] got;

        final int mask;

        /** Lines sent, lines delivered to every member, lines received by members in total. */
        long sent;

        long delivered;

        long received;

        int joinedCount;

        boolean dataPhase;

        final ByteBuffer out = ByteBuffer.allocate(64 * 1024);

        final ByteBuffer in = ByteBuffer.allocate(64 * 1024);

        final ByteBuffer senderIn = ByteBuffer.allocate(4096);

        long errors;

        long mismatches;

        String firstError;

        long lastProgress;

        Run(InetSocketAddress address, int memberCount, int window) {
            this.address = address;
            this.memberCount = memberCount;
            this.window = window;
            this.members = new Member[memberCount];
            int ringSize = Integer.highestOneBit(window * 2 - 1) << 1;
            this.ring = new byte[ringSize * LINE];
            this.got = new int[ringSize];
            this.mask = ringSize - 1;
            this.out.flip(); // empty, ready to drain
        }

        boolean execute(double warmSeconds, double seconds, long serverPid, long clockTicks) throws IOException {
            long hardEnd = System.nanoTime() + (long) ((warmSeconds + seconds + 70) * 1e9);
            this.selector = Selector.open();
            long connectStart = System.nanoTime();
            CpuWindow cpu = new CpuWindow(serverPid, clockTicks); // read as the window starts and ends, if it does
            if (!connectAll(connectStart + CONNECT_TIMEOUT_NS)) {
                return report(0, 0, 0, cpu, connectStart, connectStart, connectStart);
            }
            long joinStart = System.nanoTime();
            if (!join(Math.min(hardEnd, joinStart + JOIN_TIMEOUT_NS))) {
                return report(0, 0, 0, cpu, connectStart, joinStart, System.nanoTime());
            }
            long dataStart = System.nanoTime();
            this.dataPhase = true;
            long windowStart = dataStart + (long) (warmSeconds * 1e9);
            long windowEnd = windowStart + (long) (seconds * 1e9);
            this.lastProgress = dataStart;
            boolean started = false;
            long receivedBefore = 0;
            long deliveredBefore = 0;
            long actualStart = 0;
            while (this.errors == 0 && this.mismatches == 0) {
                long now = System.nanoTime();
                if (!started && now >= windowStart) {
                    started = true;
                    actualStart = now;
                    cpu.start();
                    receivedBefore = this.received;
                    deliveredBefore = this.delivered;
                }
                if (now >= windowEnd) {
                    break;
                }
                if (now - this.lastProgress > STALL_NS || now > hardEnd) {
                    error("stalled: no line reached every member for 10 s (sent " + this.sent + ", delivered to all "
                            + this.delivered + ")");
                    break;
                }
                fillAndSend();
                this.selector.select(this::dataEvent, 100);
            }
            long actualEnd = System.nanoTime();
            if (!started) {
                return report(0, 0, 0, cpu, connectStart, joinStart, dataStart);
            }
            cpu.end();
            return report(this.received - receivedBefore, this.delivered - deliveredBefore,
                    (actualEnd - actualStart) / 1e9, cpu, connectStart, joinStart, dataStart);
        }

        /** Members first (at most {@link #MAX_CONNECTING} at once), then the sender. */
        private boolean connectAll(long deadline) throws IOException {
            int next = 0;
            int connecting = 0;
            int connected = 0;
            while (connected < this.memberCount) {
                while (next < this.memberCount && connecting < MAX_CONNECTING) {
                    Member member = new Member(next++);
                    this.members[member.index] = member;
                    SocketChannel channel = SocketChannel.open();
                    member.channel = channel;
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    if (channel.connect(this.address)) {
                        member.connected = true;
                        connected++;
                        member.key = channel.register(this.selector, SelectionKey.OP_READ, member);
                    }
                    else {
                        connecting++;
                        member.key = channel.register(this.selector, SelectionKey.OP_CONNECT, member);
                    }
                }
                if (System.nanoTime() > deadline) {
                    error("only " + connected + " of " + this.memberCount + " members connected within 30 s");
                    return false;
                }
                int[] done = { 0 };
                this.selector.select((key) -> {
                    Member member = (Member) key.attachment();
                    try {
                        if (key.isConnectable() && member.channel.finishConnect()) {
                            member.connected = true;
                            key.interestOps(SelectionKey.OP_READ);
                            done[0]++;
                        }
                        else if (key.isReadable()) {
                            readMember(member); // a member may hear of nothing yet: anything now is an error
                        }
                    }
                    catch (IOException ex) {
                        error("member " + member.index + " could not connect: " + ex);
                    }
                }, 100);
                if (this.errors > 0) {
                    return false;
                }
                connected += done[0];
                connecting -= done[0];
            }
            this.sender = SocketChannel.open();
            this.sender.setOption(StandardSocketOptions.TCP_NODELAY, true);
            this.sender.socket().connect(this.address, 10_000); // blocking, bounded
            this.sender.configureBlocking(false);
            this.senderKey = this.sender.register(this.selector, SelectionKey.OP_READ, this);
            return true;
        }

        /** Sends a marker every 50 ms until every member has received one. */
        private boolean join(long deadline) throws IOException {
            long marker = 0;
            long nextMarker = 0;
            while (this.joinedCount < this.memberCount) {
                long now = System.nanoTime();
                if (now > deadline) {
                    error("only " + this.joinedCount + " of " + this.memberCount + " members joined within 30 s");
                    return false;
                }
                if (now >= nextMarker && !this.out.hasRemaining()) {
                    this.out.clear();
                    this.out.put(markerLine(marker++)).flip();
                    nextMarker = now + TimeUnit.MILLISECONDS.toNanos(50);
                }
                writeSender();
                this.selector.select(this::dataEvent, 10);
                if (this.errors > 0 || this.mismatches > 0) {
                    return false;
                }
            }
            while (this.out.hasRemaining() && System.nanoTime() < deadline) { // the last marker, whole
                writeSender();
            }
            return !this.out.hasRemaining();
        }

        private void dataEvent(SelectionKey key) {
            Object attachment = key.attachment();
            if (attachment == this) {
                senderEvent(key);
                return;
            }
            Member member = (Member) attachment;
            try {
                readMember(member);
            }
            catch (IOException ex) {
                failMember(member, "I/O error: " + ex);
            }
        }

        private void senderEvent(SelectionKey key) {
            try {
                if (key.isReadable()) {
                    this.senderIn.clear();
                    int n = this.sender.read(this.senderIn);
                    if (n < 0) {
                        error("the server closed the sender's connection");
                        key.cancel();
                    }
                    else if (n > 0) {
                        error("the sender received " + n + " bytes: a broadcast must not reach its sender");
                    }
                }
                if (key.isValid() && key.isWritable()) {
                    writeSender();
                }
            }
            catch (IOException ex) {
                error("sender: " + ex);
                key.cancel();
            }
        }

        /** Adds the lines the window allows after what is unsent, and writes. */
        private void fillAndSend() throws IOException {
            if (this.sent - this.delivered < this.window) {
                this.out.compact();
                byte[] array = this.out.array();
                while (this.sent - this.delivered < this.window && this.out.remaining() >= LINE) {
                    int slot = (int) (this.sent & this.mask) * LINE;
                    dataLine(this.sent, this.ring, slot);
                    this.got[(int) (this.sent & this.mask)] = 0;
                    System.arraycopy(this.ring, slot, array, this.out.position(), LINE);
                    this.out.position(this.out.position() + LINE);
                    this.sent++;
                }
                this.out.flip();
            }
            writeSender();
        }

        private void writeSender() throws IOException {
            if (this.out.hasRemaining()) {
                this.sender.write(this.out);
            }
            int ops = this.out.hasRemaining() ? (SelectionKey.OP_READ | SelectionKey.OP_WRITE) : SelectionKey.OP_READ;
            if (this.senderKey.isValid() && this.senderKey.interestOps() != ops) {
                this.senderKey.interestOps(ops);
            }
        }

        private void readMember(Member member) throws IOException {
            if (member.failed) {
                return;
            }
            ByteBuffer buffer = this.in;
            buffer.clear();
            int n = member.channel.read(buffer);
            if (n < 0) {
                failMember(member, "end of stream");
                return;
            }
            byte[] array = buffer.array();
            int at = 0;
            while (at < n && !member.failed) {
                if (member.carryLength > 0 || n - at < LINE) {
                    int take = Math.min(LINE - member.carryLength, n - at);
                    System.arraycopy(array, at, member.carry, member.carryLength, take);
                    member.carryLength += take;
                    at += take;
                    if (member.carryLength == LINE) {
                        member.carryLength = 0;
                        line(member, member.carry, 0);
                    }
                }
                else {
                    line(member, array, at);
                    at += LINE;
                }
            }
        }

        /** One whole 64-byte line for a member. */
        private void line(Member member, byte[] bytes, int at) {
            if (bytes[at] == 'M') { // markers come before any data line (later ones may still arrive then)
                if (member.expected > 0 || !isMarker(bytes, at)) {
                    mismatch(member, "unexpected line " + printable(bytes, at) + " after " + member.expected
                            + " data lines");
                    return;
                }
                if (!member.joined) {
                    member.joined = true;
                    this.joinedCount++;
                }
                return;
            }
            if (!this.dataPhase) {
                mismatch(member, "a line before any was sent: " + printable(bytes, at));
                return;
            }
            long seq = member.expected;
            if (seq >= this.sent) {
                mismatch(member, "a line beyond the " + this.sent + " sent: " + printable(bytes, at));
                return;
            }
            int slot = (int) (seq & this.mask);
            if (!Arrays.equals(bytes, at, at + LINE, this.ring, slot * LINE, slot * LINE + LINE)) {
                mismatch(member, "expected line " + seq + ", got " + printable(bytes, at));
                return;
            }
            member.expected = seq + 1;
            this.received++;
            if (++this.got[slot] == this.memberCount) {
                while (this.delivered < this.sent && this.got[(int) (this.delivered & this.mask)] == this.memberCount) {
                    this.delivered++;
                }
                this.lastProgress = System.nanoTime();
            }
        }

        private void mismatch(Member member, String message) {
            this.mismatches++;
            member.failed = true;
            if (this.firstError == null) {
                this.firstError = "member " + member.index + ": " + message;
            }
        }

        private void failMember(Member member, String message) {
            member.failed = true;
            if (member.key != null) {
                member.key.cancel();
            }
            error("member " + member.index + ": " + message);
        }

        void error(String message) {
            this.errors++;
            if (this.firstError == null) {
                this.firstError = message;
            }
        }

        void closeAll() {
            for (Member member : this.members) {
                if (member != null && member.channel != null) {
                    closeQuietly(member.channel);
                }
            }
            if (this.sender != null) {
                closeQuietly(this.sender);
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

        /** Prints the result line; {@code cpu} has been read at both ends only when the window was reached. */
        private boolean report(long msgs, long lines, double window, CpuWindow cpu, long connectStart, long joinStart,
                long dataStart) {
            ResultLine text = new ResultLine("fanout_loadgen");
            text.word("members", this.memberCount);
            text.word("window", this.window);
            text.word("seconds", ResultLine.round(window, 3));
            text.word("lines", lines);
            text.word("msgs", msgs);
            text.word("msgs_per_s", (window > 0) ? ResultLine.round(msgs / window, 0) : "0");
            text.word("lines_per_s", (window > 0) ? ResultLine.round(lines / window, 0) : "0");
            text.word("errors", this.errors);
            text.word("mismatches", this.mismatches);
            cpu.appendTo(text, msgs, window, 4, true);
            text.word("connect_s", ResultLine.round((joinStart - connectStart) / 1e9, 2));
            text.word("join_s", ResultLine.round((dataStart - joinStart) / 1e9, 2));
            System.out.println(text);
            if (this.firstError != null) {
                System.err.println("first error: " + this.firstError);
            }
            return this.errors == 0 && this.mismatches == 0 && msgs > 0;
        }

    }

    /** @return whether the 64 bytes at {@code at} are a marker line */
    static boolean isMarker(byte[] bytes, int at) {
        if (bytes[at] != 'M' || bytes[at + LINE - 1] != '\n') {
            return false;
        }
        for (int i = 1; i < LINE - 1; i++) {
            byte b = bytes[at + i];
            if ((i < PAYLOAD_START) ? (b < '0' || b > '9') : b != '-') {
                return false;
            }
        }
        return true;
    }

    private static String printable(byte[] bytes, int at) {
        String text = new String(bytes, at, LINE, StandardCharsets.ISO_8859_1);
        return "\"" + text.replace("\n", "\\n").replace("\r", "\\r") + "\"";
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        }
        catch (IOException ex) {
            // at the end of the run; nothing to report
        }
    }

}
