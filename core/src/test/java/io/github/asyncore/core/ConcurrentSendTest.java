package io.github.asyncore.core;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Threads other than the loop's: {@link BufferedDispatcher#send} from many threads at once delivers every
 * byte with each thread's messages in its own order; loop-only operations refuse other threads with a
 * clear message; {@link Dispatcher#close()} from another thread is handed to the loop.
 */
class ConcurrentSendTest {

    private static final int THREADS = 8;

    private static final int MESSAGES = 3000;

    private static final byte START = (byte) 0xA5;

    private static final byte END = (byte) 0x5A;

    private final LoopFixture fixture = LoopFixture.started("concurrent-send");

    private final List<BlockingClient> clients = new ArrayList<>();

    private final ExecutorService senders = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void close() throws Exception {
        this.senders.shutdownNow();
        for (BlockingClient client : this.clients) {
            client.close();
        }
        this.fixture.close();
        assertThat(this.senders.awaitTermination(LoopFixture.WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void eightThreadsSendingThroughOneChannelDeliverEveryByteWithEachThreadsMessagesInOrder() throws Exception {
        TestListener listener = listen();
        BlockingClient client = connect(listener);
        Sink channel = (Sink) listener.awaitAccepted();
        int total = 0;
        for (int seq = 0; seq < MESSAGES; seq++) {
            total += THREADS * messageLength(seq);
        }

        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            results.add(this.senders.submit(() -> {
                assertThat(channel.executor().inEventLoop()).as("a sender is not the loop thread").isFalse();
                ByteBuffer message = ByteBuffer.allocate(64); // one buffer, reused: send must copy it
                start.await(LoopFixture.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                int sent = 0;
                for (int seq = 0; seq < MESSAGES; seq++) {
                    message.clear();
                    writeMessage(message, thread, seq);
                    message.flip();
                    int length = message.remaining();
                    assertThat(channel.send(message)).isEqualTo(length);
                    assertThat(message.hasRemaining()).as("send consumes the buffer").isFalse();
                    sent += length;
                }
                return sent;
            }));
        }

        int sent = 0;
        for (Future<Integer> result : results) {
            sent += result.get(LoopFixture.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertThat(sent).isEqualTo(total);
        // The client has not read yet and the server's send buffer is small: most of the output waits in
        // the dispatcher's queue, so the senders' bytes went through it, not only straight to the socket.
        await().atMost(LoopFixture.WAIT)
            .until(() -> this.fixture.map.snapshot(channel.id()).orElseThrow().pendingOutputBytes() > 0);
        byte[] received = client.readExactly(total);
        assertThat(received).hasSize(total);

        int[] next = new int[THREADS];
        ByteBuffer in = ByteBuffer.wrap(received);
        int count = 0;
        while (in.hasRemaining()) {
            int at = in.position();
            assertThat(in.get()).as("start of message %d at byte %d", count, at).isEqualTo(START);
            int thread = in.get();
            assertThat(thread).as("thread tag at byte %d", at).isBetween(0, THREADS - 1);
            int seq = in.getInt();
            assertThat(seq).as("message of thread %d at byte %d", thread, at).isEqualTo(next[thread]);
            int length = in.get();
            assertThat(length).isEqualTo(messageLength(seq) - 8);
            for (int k = 0; k < length; k++) {
                assertThat(in.get()).as("payload byte %d at byte %d", k, at).isEqualTo(payloadByte(thread, seq, k));
            }
            assertThat(in.get()).as("end of the message at byte %d", at).isEqualTo(END);
            next[thread]++;
            count++;
        }
        assertThat(next).as("messages received per thread").containsOnly(MESSAGES);
        assertThat(count).isEqualTo(THREADS * MESSAGES);

        ChannelSnapshot snapshot = await().atMost(LoopFixture.WAIT)
            .until(() -> this.fixture.map.snapshot(channel.id()).orElseThrow(), (s) -> s.pendingOutputBytes() == 0);
        assertThat(snapshot.bytesWritten()).isEqualTo(total);
        assertThat(this.fixture.loop.snapshot().handlerErrors()).isZero();
    }

    @Test
    void loopOnlyOperationsFromAnotherThreadThrowIllegalStateExceptionNamingTheOperationAndThreads() throws Exception {
        TestListener listener = listen((channel) -> {
            RecordingDispatcher plain = new RecordingDispatcher(channel, this.fixture.map);
            plain.readable = false; // input waits in the socket until the test reads it
            return plain;
        });
        BlockingClient client = connect(listener);
        RecordingDispatcher channel = (RecordingDispatcher) listener.awaitAccepted();
        client.write("in"); // waits in the socket: the channel does not ask to read
        String me = Thread.currentThread().getName();
        assertThat(this.fixture.loop.isRunning()).isTrue();

        ByteBuffer into = ByteBuffer.allocate(16);
        assertThatThrownBy(() -> channel.recv(into)).isInstanceOf(IllegalStateException.class)
            .hasMessageContainingAll("recv() must run on the loop thread of concurrent-send", "not on " + me,
                    "executor().execute");
        assertThat(into.position()).as("nothing was read").isZero();

        ByteBuffer out = ByteBuffer.wrap("out".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> channel.send(out)).isInstanceOf(IllegalStateException.class)
            .hasMessageContainingAll("send() must run on the loop thread of concurrent-send", "not on " + me);
        assertThat(out.remaining()).as("nothing was sent").isEqualTo(3);

        assertThatThrownBy(() -> channel.setSettings(ChannelSettings.DEFAULTS))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("setSettings() must run on the loop thread");

        // The same operations handed to the loop work, and the channel is unharmed.
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.onLoop(() -> channel.recv(into)) >= 0
                && into.position() == 2);
        assertThat(new String(into.array(), 0, 2, StandardCharsets.US_ASCII)).isEqualTo("in");
        assertThat(this.fixture.onLoop(() -> channel.send(out))).isEqualTo(3);
        assertThat(client.readExactly("out")).isEqualTo("out");
        assertThat(channel.state()).isEqualTo(ChannelState.CONNECTED);
    }

    @Test
    void bufferedDispatcherRecvFromAnotherThreadThrowsWhileItsSendIsAllowed() throws Exception {
        TestListener listener = listen();
        BlockingClient client = connect(listener);
        Sink channel = (Sink) listener.awaitAccepted();

        assertThatThrownBy(() -> channel.recv(16)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("recv() must run on the loop thread of concurrent-send");
        channel.send("ok".getBytes(StandardCharsets.US_ASCII));
        assertThat(client.readExactly("ok")).isEqualTo("ok");
    }

    @Test
    void closeFromAnotherThreadIsHandedToTheLoopAndClosesTheChannel() throws Exception {
        TestListener listener = listen();
        BlockingClient client = connect(listener);
        Sink channel = (Sink) listener.awaitAccepted();

        channel.send("bye".getBytes(StandardCharsets.US_ASCII)); // handed over first
        channel.close();
        assertThat(channel.state()).as("closing until the loop has run the close")
            .isIn(ChannelState.CLOSING, ChannelState.CLOSED);

        await().atMost(LoopFixture.WAIT).until(channel::isClosed);
        assertThat(channel.closedOn).containsExactly(this.fixture.loop.name());
        assertThat(channel.state()).isEqualTo(ChannelState.CLOSED);
        assertThat(channel.isClosing()).isFalse();
        assertThat(this.fixture.map.find(channel.id())).isEmpty();
        assertThat(client.readExactly("bye")).as("bytes sent before the close, from the same thread")
            .isEqualTo("bye");
        assertThat(client.read()).as("then end-of-stream").isEqualTo(-1);
        assertThat(channel.handleCloseCalls.get()).as("close() is not an event: no handleClose").isZero();

        channel.close(); // harmless a second time, from any thread
        assertThat(channel.closedOn).hasSize(1);
    }

    // ---------------------------------------------------------------- helpers

    private TestListener listen() {
        return listen(Sink::new);
    }

    /** A listener whose connections have an 8 KiB send buffer, so that output soon waits in their queue. */
    private TestListener listen(TestListener.Adopter adopter) {
        return this.fixture.onLoop(() -> new TestListener(this.fixture.map, (channel) -> {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 8 * 1024);
            return adopter.adopt(channel);
        }));
    }

    private BlockingClient connect(TestListener listener) throws IOException {
        BlockingClient client = BlockingClient.connect(listener.getLocalAddress());
        this.clients.add(client);
        return client;
    }


    /** 8 bytes of framing and 0 to 15 of payload, varying with the sequence number. */
    private static int messageLength(int seq) {
        return 8 + seq % 16;
    }

    private static void writeMessage(ByteBuffer buffer, int thread, int seq) {
        int length = messageLength(seq) - 8;
        buffer.put(START).put((byte) thread).putInt(seq).put((byte) length);
        for (int k = 0; k < length; k++) {
            buffer.put(payloadByte(thread, seq, k));
        }
        buffer.put(END);
    }

    private static byte payloadByte(int thread, int seq, int k) {
        return (byte) (thread * 31 + seq * 7 + k);
    }

    /** Sends what it is given, discards what it reads, records where it was closed. */
    static final class Sink extends BufferedDispatcher {

        final List<String> closedOn = new CopyOnWriteArrayList<>();

        final AtomicInteger handleCloseCalls = new AtomicInteger();

        Sink(SocketChannel channel) throws IOException {
            super(channel);
        }

        @Override
        public void handleRead() throws IOException {
            recv(1024);
        }

        @Override
        public void handleClose() throws IOException {
            this.handleCloseCalls.incrementAndGet();
            super.handleClose();
        }

        @Override
        public void close() {
            if (executor().inEventLoop() && !isClosed()) {
                this.closedOn.add(Thread.currentThread().getName());
            }
            super.close();
        }

    }

}
