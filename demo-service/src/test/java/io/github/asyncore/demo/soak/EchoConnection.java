package io.github.asyncore.demo.soak;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One client of the echo server, on a non-blocking channel with a selector of its own, so that one
 * thread writes and reads at the same time (a blocking client writing a large stream would fill both
 * directions and wait forever). Every byte read is compared with the byte sent at the same offset.
 */
final class EchoConnection implements Closeable {

    /** How reads are throttled for a slow reader: a first pause, then at most {@code bytesPerSecond}. */
    record ReadPace(long pauseNanos, long bytesPerSecond, int chunk) {
    }

    private static final long READ_LATE_PATIENCE = TimeUnit.SECONDS.toNanos(1);

    private final SocketChannel channel;

    private final Selector selector;

    private final SelectionKey key;

    private EchoConnection(SocketChannel channel, Selector selector, SelectionKey key) {
        this.channel = channel;
        this.selector = selector;
        this.key = key;
    }

    static EchoConnection open(int port) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().connect(new InetSocketAddress(RawHttp.LOOPBACK, port), 5_000);
            channel.configureBlocking(false);
            Selector selector = Selector.open();
            return new EchoConnection(channel, selector, channel.register(selector, 0));
        }
        catch (IOException | RuntimeException ex) {
            channel.close();
            throw ex;
        }
    }

    /**
     * Writes {@code data[0, writeLimit)} in chunks of random sizes while reading the echo, until
     * {@code readTarget} bytes came back (or, with {@code halfClose}, until end-of-stream after shutting
     * down the output once everything is written).
     * @param readLate read nothing until everything is written (and the output shut down, with
     *        {@code halfClose}), so that the server holds echo it owes when it meets the end-of-stream;
     *        reading starts anyway when writing made no progress for a second (the buffers are full)
     * @param pace throttles reading, or {@code null}
     * @return the bytes read back and verified
     * @throws ScenarioFailure on a corrupted, surplus or missing byte, an early end-of-stream, or the deadline
     */
    long exchange(byte[] data, int writeLimit, int readTarget, boolean halfClose, boolean readLate, ReadPace pace,
            long deadline, SplittableRandom random) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        int written = 0;
        int read = 0;
        boolean outputShut = false;
        boolean holdReads = readLate;
        long lastWrite = System.nanoTime();
        long readStart = System.nanoTime() + ((pace != null) ? pace.pauseNanos() : 0);
        while (true) {
            boolean wantWrite = written < writeLimit;
            if (!wantWrite && halfClose && !outputShut) {
                this.channel.shutdownOutput();
                outputShut = true;
            }
            boolean wantRead = halfClose || read < readTarget;
            if (!wantWrite && !wantRead) {
                return read;
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw new ScenarioFailure("echo: timed out", "after writing " + written + " of " + writeLimit
                        + " bytes and reading " + read + " of " + (halfClose ? data.length : readTarget));
            }
            long wait = deadline - now;
            if (holdReads && (!wantWrite || now - lastWrite > READ_LATE_PATIENCE)) {
                holdReads = false;
            }
            boolean readNow = wantRead && !holdReads;
            if (holdReads) {
                wait = Math.min(wait, lastWrite + READ_LATE_PATIENCE - now + 1);
            }
            int readRoom = in.capacity();
            if (wantRead && pace != null) {
                long next = readStart + read * 1_000_000_000L / pace.bytesPerSecond();
                if (now - next < 0) {
                    readNow = false;
                    wait = Math.min(wait, next - now);
                }
                readRoom = pace.chunk();
            }
            boolean progress = false;
            if (wantWrite) {
                int chunk = (random.nextInt(5) == 0) ? 1 + random.nextInt(64) : 1 + random.nextInt(64 * 1024);
                int length = Math.min(chunk, writeLimit - written);
                int count = this.channel.write(ByteBuffer.wrap(data, written, length));
                written += count;
                if (count > 0) {
                    lastWrite = System.nanoTime();
                    progress = true;
                }
            }
            if (readNow) {
                if (!halfClose) {
                    readRoom = Math.min(readRoom, readTarget - read);
                }
                in.clear().limit(readRoom);
                int count = this.channel.read(in);
                if (count < 0) {
                    if (halfClose && read == data.length) {
                        return read;
                    }
                    throw new ScenarioFailure(halfClose ? "echo: lost bytes at half-close" : "echo: early end-of-stream",
                            "end-of-stream after " + read + " of " + (halfClose ? data.length : readTarget)
                                    + " bytes (" + written + " written)");
                }
                if (read + count > written) {
                    throw new ScenarioFailure("echo: bytes never sent", "read " + (read + count) + " bytes, only "
                            + written + " were written");
                }
                for (int i = 0; i < count; i++) {
                    if (in.get(i) != data[read + i]) {
                        throw new ScenarioFailure("echo: corrupted byte", "byte " + (read + i) + " is " + in.get(i)
                                + ", sent " + data[read + i]);
                    }
                }
                read += count;
                progress |= count > 0;
            }
            if (!progress) {
                this.key.interestOps((wantWrite ? SelectionKey.OP_WRITE : 0) | (readNow ? SelectionKey.OP_READ : 0));
                this.selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
                this.selector.selectedKeys().clear();
            }
        }
    }

    /**
     * Waits for the server to say something.
     * @return what arrived first: {@code -1} for end-of-stream, {@code 1} for bytes, {@code 0} when nothing
     *         came before the deadline
     */
    int awaitInput(long deadline) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(1);
        while (true) {
            int count = this.channel.read(in);
            if (count != 0) {
                return count < 0 ? -1 : 1;
            }
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
                return 0;
            }
            this.key.interestOps(SelectionKey.OP_READ);
            this.selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
            this.selector.selectedKeys().clear();
        }
    }

    /** @return the client's port, which the server's log names */
    int localPort() {
        return this.channel.socket().getLocalPort();
    }

    /** Closes with a reset (SO_LINGER 0) instead of an orderly end-of-stream. */
    void reset() throws IOException {
        this.selector.close(); // deregisters the channel, so that it may block again
        this.channel.configureBlocking(true);
        this.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        this.channel.close();
    }

    @Override
    public void close() throws IOException {
        try {
            this.selector.close();
        }
        finally {
            this.channel.close();
        }
    }

}
