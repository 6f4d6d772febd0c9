package io.github.asyncore.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Half-close over real loopback sockets: {@link Dispatcher#shutdownOutput()} sends end-of-stream while the
 * channel goes on reading, and a dispatcher that overrides {@link Dispatcher#handleEndOfStream()} may go
 * on writing after the peer half-closed.
 */
class HalfCloseTest {

    private static final int ANSWER_SIZE = 4 * 1024 * 1024;

    private static final byte[] ANSWER = pattern(ANSWER_SIZE, 251);

    private static final byte[] REQUEST = pattern(100_000, 241);

    private final LoopFixture fixture = LoopFixture.started("half-close");

    @AfterEach
    void close() {
        this.fixture.close();
    }

    @Test
    void aDispatcherClientThatHalfClosesAfterItsRequestGetsTheWholeAnswer() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, AnswerAtEnd::new));
        RequestClient client = this.fixture.onLoop(() -> new RequestClient(this.fixture.map, listener.address()));
        byte[] answer = client.answer.get(LoopFixture.WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(answer.length).isEqualTo(ANSWER_SIZE);
        assertThat(Arrays.mismatch(answer, ANSWER)).as("first corrupt byte").isEqualTo(-1);
        AnswerAtEnd server = listener.awaitAccepted();
        assertThat(server.request.toByteArray()).isEqualTo(REQUEST);
        assertThat(client.outputShutdownWhenAnswered).as("the client had half-closed").isTrue();
        await().atMost(LoopFixture.WAIT).until(() -> client.isClosed() && server.isClosed());
        assertThat(client.getCloseReason()).as("the server closed after its answer").isEqualTo(CloseReason.PEER);
        assertThat(server.getCloseReason()).as("closed when done, asked for at the peer's end-of-stream")
            .isEqualTo(CloseReason.PEER);
    }

    @Test
    void aPlainSocketClientThatHalfClosesAfterItsRequestGetsTheWholeAnswer() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, AnswerAtEnd::new));
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            client.write(REQUEST);
            client.shutdownOutput();
            byte[] answer = client.readToEnd();
            assertThat(answer.length).isEqualTo(ANSWER_SIZE);
            assertThat(Arrays.mismatch(answer, ANSWER)).as("first corrupt byte").isEqualTo(-1);
        }
        AnswerAtEnd server = listener.awaitAccepted();
        assertThat(server.request.toByteArray()).isEqualTo(REQUEST);
        await().atMost(LoopFixture.WAIT).until(server::isClosed);
    }

    @Test
    void aServerThatHalfClosesAfterItsAnswerLetsAPlainClientFinishSending() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, GreetThenListen::new));
        byte[] upload = pattern(ANSWER_SIZE, 239);
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            CountDownLatch endOfStreamSeen = new CountDownLatch(1);
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = client.socket().getOutputStream();
                    out.write(upload, 0, upload.length / 2);
                    assertThat(endOfStreamSeen.await(10, TimeUnit.SECONDS)).isTrue();
                    out.write(upload, upload.length / 2, upload.length - upload.length / 2); // after the server's end
                    client.shutdownOutput();
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            byte[] greeting = client.readToEnd(); // returns at the server's end-of-stream
            endOfStreamSeen.countDown();
            assertThat(greeting).isEqualTo(GreetThenListen.GREETING);
            sending.get(10, TimeUnit.SECONDS);
            GreetThenListen server = listener.awaitAccepted();
            await().atMost(LoopFixture.WAIT).until(server::isClosed);
            assertThat(server.received.size()).isEqualTo(upload.length);
            assertThat(Arrays.mismatch(server.received.toByteArray(), upload)).as("first corrupt byte").isEqualTo(-1);
            assertThat(server.outputShutdownBeforeTheEnd).as("it had half-closed before the client finished").isTrue();
            assertThat(server.getCloseReason()).isEqualTo(CloseReason.PEER);
        }
    }

    @Test
    void aDispatcherThatOverridesEndOfStreamGoesOnWritingAndClosesLater() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, GreetThenListen::new));
        byte[] upload = pattern(ANSWER_SIZE, 239);
        UploadClient client = this.fixture.onLoop(() -> new UploadClient(this.fixture.map, listener.address(), upload));
        GreetThenListen server = listener.awaitAccepted();
        await().atMost(LoopFixture.WAIT).until(() -> server.isClosed() && client.isClosed());
        assertThat(client.greeting.toByteArray()).isEqualTo(GreetThenListen.GREETING);
        assertThat(client.sentAfterEndOfStream).as("bytes the client sent after the server's end-of-stream")
            .isGreaterThan(0);
        assertThat(Arrays.mismatch(server.received.toByteArray(), upload)).as("first corrupt byte").isEqualTo(-1);
        assertThat(server.received.size()).isEqualTo(upload.length);
        assertThat(client.getCloseReason()).as("closed when done, after the peer's end").isEqualTo(CloseReason.PEER);
    }

    @Test
    void shutdownOutputWritesEverythingQueuedFirstThenKeepsReading() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, Collector::new));
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            Collector server = listener.awaitAccepted();
            server.send(ANSWER); // the client does not read yet: most of it stays queued
            await().atMost(LoopFixture.WAIT).until(() -> server.pendingOutputBytes() > 0);
            server.shutdownOutput(); // from this thread: handed to the loop after the send
            server.send("dropped: sent after shutdownOutput".getBytes());
            byte[] answer = client.readToEnd(); // exactly the answer: end-of-stream came after it, nothing later
            assertThat(answer.length).isEqualTo(ANSWER_SIZE);
            assertThat(Arrays.mismatch(answer, ANSWER)).as("first corrupt byte").isEqualTo(-1);
            assertThat(server.isOutputShutdown()).isTrue();
            assertThat(server.isClosed()).as("still open for reading").isFalse();
            ChannelSnapshot snapshot = await().atMost(LoopFixture.WAIT)
                .until(() -> this.fixture.map.snapshot(server.id()).orElseThrow(), (s) -> !s.writable());
            assertThat(snapshot.outputShutdown()).isTrue();
            assertThat(snapshot.inputEnded()).isFalse();
            client.write("still listening?");
            await().atMost(LoopFixture.WAIT).until(() -> server.received.size() == 16);
            client.shutdownOutput();
            await().atMost(LoopFixture.WAIT).until(server::isClosed);
            assertThat(server.getCloseReason()).isEqualTo(CloseReason.PEER);
        }
    }

    @Test
    void aPlainDispatcherShutsItsOutputDownAtOnceAndIsNoLongerWaitedOnForWriting() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, WantsToWrite::new));
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            WantsToWrite server = listener.awaitAccepted();
            server.shutdownOutput();
            assertThat(client.read()).isEqualTo(-1);
            client.write("after");
            await().atMost(LoopFixture.WAIT).until(() -> "after".equals(server.received.toString()));
            assertThat(server.isOutputShutdown()).isTrue();
            await().atMost(LoopFixture.WAIT).until(() -> !this.fixture.map.snapshot(server.id()).orElseThrow().writable());
            assertThat(server.writes).as("write events after the half-close").isZero();
        }
    }

    @Test
    void onlyAConnectedStreamSocketCanShutItsOutputDown() {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, AnswerAtEnd::new));
        this.fixture.runOnLoop(() -> assertThatIllegalStateException().isThrownBy(listener::shutdownOutput)
            .withMessageContaining("only a connected stream socket"));
        BufferedDispatcher unconnected = this.fixture.onLoop(() -> {
            BufferedDispatcher created = new BufferedDispatcher(this.fixture.map);
            created.createSocket();
            return created;
        });
        this.fixture.runOnLoop(() -> assertThatIllegalStateException().isThrownBy(unconnected::shutdownOutput));
    }

    static byte[] pattern(int size, int modulus) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i % modulus);
        }
        return bytes;
    }

    /** A request is everything until the peer's end-of-stream; then it answers and closes when done. */
    static final class AnswerAtEnd extends BufferedDispatcher {

        final ByteArrayOutputStream request = new ByteArrayOutputStream();

        AnswerAtEnd(SocketChannel channel) throws IOException {
            super(channel);
        }

        @Override
        public void handleRead() throws IOException {
            byte[] data = recv(64 * 1024);
            this.request.write(data, 0, data.length);
        }

        @Override
        public void handleEndOfStream() throws IOException {
            send(ANSWER);
            closeWhenDone();
        }

    }

    /** Sends its request, half-closes, and collects the answer until the server's end-of-stream. */
    static final class RequestClient extends BufferedDispatcher {

        final CompletableFuture<byte[]> answer = new CompletableFuture<>();

        private final ByteArrayOutputStream received = new ByteArrayOutputStream();

        volatile boolean outputShutdownWhenAnswered;

        RequestClient(ChannelMap map, SocketAddress server) throws IOException {
            super(map);
            createSocket();
            connect(server);
            send(REQUEST); // queued until connected
            shutdownOutput(); // end-of-stream once the request is written
        }

        @Override
        public void handleRead() throws IOException {
            byte[] data = recv(64 * 1024);
            this.received.write(data, 0, data.length);
        }

        @Override
        public void handleEndOfStream() throws IOException {
            this.outputShutdownWhenAnswered = isOutputShutdown();
            this.answer.complete(this.received.toByteArray());
            super.handleEndOfStream();
        }

    }

    /** Greets, half-closes at once, and reads everything the client sends until it closes. */
    static final class GreetThenListen extends BufferedDispatcher {

        /** Below the low water mark: the server never stops reading for it. */
        static final byte[] GREETING = pattern(20_000, 233);

        final ByteArrayOutputStream received = new ByteArrayOutputStream();

        volatile boolean outputShutdownBeforeTheEnd;

        GreetThenListen(SocketChannel channel) throws IOException {
            super(channel);
            send(GREETING);
            shutdownOutput();
        }

        @Override
        public void handleRead() throws IOException {
            byte[] data = recv(64 * 1024);
            synchronized (this.received) {
                this.received.write(data, 0, data.length);
            }
        }

        @Override
        public void handleEndOfStream() throws IOException {
            this.outputShutdownBeforeTheEnd = isOutputShutdown();
            super.handleEndOfStream();
        }

    }

    /**
     * Sends the first half of an upload, keeps reading the greeting, and sends the second half only once
     * the server has half-closed: it overrides {@link #handleEndOfStream()} to go on writing, then
     * half-closes and closes when done.
     */
    static final class UploadClient extends BufferedDispatcher {

        final ByteArrayOutputStream greeting = new ByteArrayOutputStream();

        private final byte[] upload;

        volatile int sentAfterEndOfStream;

        UploadClient(ChannelMap map, SocketAddress server, byte[] upload) throws IOException {
            super(map);
            this.upload = upload;
            createSocket();
            connect(server);
            send(Arrays.copyOfRange(upload, 0, upload.length / 2));
        }

        @Override
        public void handleRead() throws IOException {
            byte[] data = recv(64 * 1024);
            this.greeting.write(data, 0, data.length);
        }

        @Override
        public void handleEndOfStream() throws IOException {
            byte[] rest = Arrays.copyOfRange(this.upload, this.upload.length / 2, this.upload.length);
            this.sentAfterEndOfStream = rest.length;
            send(rest);
            shutdownOutput();
            closeWhenDone();
        }

    }

    /** A plain dispatcher whose writable() says yes once its output is shut down: it must not spin. */
    static final class WantsToWrite extends Dispatcher {

        final StringBuffer received = new StringBuffer();

        volatile int writes;

        WantsToWrite(SocketChannel channel) throws IOException {
            super(channel);
        }

        @Override
        public boolean writable() {
            return isOutputShutdown();
        }

        @Override
        public void handleWrite() {
            this.writes++;
        }

        @Override
        public void handleRead() throws IOException {
            this.received.append(new String(recv(1024)));
        }

    }

    /** Collects what it reads; the test sends and half-closes from its own thread. */
    static final class Collector extends BufferedDispatcher {

        final ByteArrayOutputStream received = new ByteArrayOutputStream();

        Collector(SocketChannel channel) throws IOException {
            super(channel);
        }

        @Override
        public void handleRead() throws IOException {
            byte[] data = recv(64 * 1024);
            synchronized (this.received) {
                this.received.write(data, 0, data.length);
            }
        }

    }

}
