package io.github.asyncore.core;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link AsyncChat} over real loopback TCP, against asynchat's semantics (CPython 3.11
 * {@code Lib/asynchat.py}). The server side is a listener on the fixture's loop that adopts each accepted
 * connection into a recording chat; the client is a {@link BlockingClient}. Where the test needs input to
 * arrive in separate reads, it waits until the chat has read one part before writing the next.
 */
class AsyncChatTest {

    private static final Terminator LF = Terminator.string("\n");

    private final LoopFixture fixture = LoopFixture.started("chat");

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : this.resources) {
            resource.close();
        }
        this.fixture.close();
    }

    // ---------------------------------------------------------------- framing

    static Stream<Arguments> splitCases() {
        return Stream.of(
                Arguments.of("CRLF", "\r\n", "alpha\r\nb\re\r\r\n\r\nlast\r\n", List.of("alpha", "b\re\r", "", "last")),
                Arguments.of("LF", "\n", "alpha\nbeta\n\nlast\n", List.of("alpha", "beta", "", "last")),
                // SMTP's end of data: prefixes of the terminator overlap the data and each other
                Arguments.of("CRLF.CRLF", "\r\n.\r\n", "one\r\n.two\r\n\r\n.\r\nx\r\n.\r\n",
                        List.of("one\r\n.two\r\n", "x")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("splitCases")
    void lineTerminatorSplitAtEveryBytePosition(String label, String terminator, String input, List<String> expected)
            throws Exception {
        TestListener listener = listen(null, (channel) -> new RecordingChat(channel, Terminator.string(terminator)));
        Connection<RecordingChat> connection = connect(listener, RecordingChat.class);
        BlockingClient client = connection.client();
        RecordingChat chat = connection.chat();
        byte[] bytes = latin1(input);
        for (int k = 0; k <= bytes.length; k++) {
            if (k > 0) {
                sendAndSettle(client, chat, slice(bytes, 0, k));
            }
            if (k < bytes.length) {
                sendAndSettle(client, chat, slice(bytes, k, bytes.length));
            }
            int split = k;
            List<String> frames = this.fixture.onLoop(() -> chat.takeFrames());
            assertThat(frames).as("frames with the input split at %d", split).containsExactlyElementsOf(expected);
        }
        assertThat(this.fixture.onLoop(() -> List.copyOf(chat.chunks))).as("chunks passed to collectIncomingData")
            .doesNotContain("");
        assertThat(this.fixture.onLoop(() -> chat.reads)).as("the input arrived in separate reads")
            .isGreaterThanOrEqualTo(2 * bytes.length);
    }

    @Test
    void countTerminatorCountsDownAcrossPiecesThenCollectsEverything() throws Exception {
        TestListener listener = listen(null, (channel) -> new RecordingChat(channel, Terminator.count(5)));
        Connection<RecordingChat> connection = connect(listener, RecordingChat.class);
        BlockingClient client = connection.client();
        RecordingChat chat = connection.chat();

        sendAndSettle(client, chat, latin1("ab"));
        assertThat(this.fixture.onLoop(chat::getTerminator)).isEqualTo(Terminator.count(3));
        sendAndSettle(client, chat, latin1("c"));
        assertThat(this.fixture.onLoop(chat::getTerminator)).isEqualTo(Terminator.count(2));
        assertThat(this.fixture.onLoop(() -> List.copyOf(chat.frames))).isEmpty();

        sendAndSettle(client, chat, latin1("defgh"));
        assertThat(this.fixture.onLoop(() -> List.copyOf(chat.frames))).containsExactly("abcde");
        assertThat(this.fixture.onLoop(chat::getTerminator)).isEqualTo(Terminator.count(0));

        // count reached and no new terminator: everything that follows is collected, no frame ends
        sendAndSettle(client, chat, latin1("ij\nkl"));
        assertThat(this.fixture.onLoop(() -> List.copyOf(chat.frames))).containsExactly("abcde");
        assertThat(this.fixture.onLoop(() -> List.copyOf(chat.chunks)))
            .containsExactly("ab", "c", "de", "fgh", "ij\nkl");
        assertThat(this.fixture.onLoop(() -> latin1(chat.takeData()))).isEqualTo("fghij\nkl");
    }

    @Test
    void noTerminatorCollectsEverythingAndNeverFindsATerminator() throws Exception {
        TestListener listener = listen(null, (channel) -> new RecordingChat(channel, Terminator.none()));
        Connection<RecordingChat> connection = connect(listener, RecordingChat.class);
        BlockingClient client = connection.client();
        RecordingChat chat = connection.chat();

        sendAndSettle(client, chat, latin1("line one\n"));
        sendAndSettle(client, chat, latin1("\r\n\n"));
        sendAndSettle(client, chat, latin1("tail"));

        assertThat(this.fixture.onLoop(chat::getTerminator)).isEqualTo(Terminator.none());
        assertThat(this.fixture.onLoop(() -> chat.terminatorsFound)).isZero();
        assertThat(String.join("", this.fixture.onLoop(() -> List.copyOf(chat.chunks))))
            .isEqualTo("line one\n\r\n\ntail");
        assertThat(this.fixture.onLoop(() -> latin1(chat.takeData()))).isEqualTo("line one\n\r\n\ntail");
    }

    @Test
    void emptyLinesAreEmptyFramesWithoutEmptyChunks() throws Exception {
        TestListener listener = listen(null, (channel) -> new RecordingChat(channel, LF));
        Connection<RecordingChat> connection = connect(listener, RecordingChat.class);
        BlockingClient client = connection.client();
        RecordingChat chat = connection.chat();

        sendAndSettle(client, chat, latin1("\n\n\n"));

        assertThat(this.fixture.onLoop(() -> List.copyOf(chat.frames))).containsExactly("", "", "");
        assertThat(this.fixture.onLoop(() -> List.copyOf(chat.chunks))).as("collectIncomingData calls").isEmpty();
    }

    @Test
    void terminatorChangedInFoundTerminatorAppliesToTheBytesThatFollow() throws Exception {
        TestListener listener = listen(null, HeaderChat::new);
        Connection<HeaderChat> connection = connect(listener, HeaderChat.class);
        BlockingClient client = connection.client();
        HeaderChat chat = connection.chat();

        // one write: the bodies contain the line terminator, which must not end them
        byte[] input = latin1("LEN 5\nhe\nlotail\nLEN 3\n\n\nxend\n");
        sendAndSettle(client, chat, input);

        assertThat(this.fixture.onLoop(() -> List.copyOf(chat.events))).containsExactly("header 5", "body he\nlo",
                "line tail", "header 3", "body \n\nx", "line end");
        assertThat(this.fixture.onLoop(() -> chat.reads)).as("everything arrived in one read").isEqualTo(1);
        assertThat(this.fixture.onLoop(chat::getTerminator)).isEqualTo(LF);
    }

    @Test
    void negativeCountIsRejected() {
        assertThatThrownBy(() -> Terminator.count(-1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("-1");
        RecordingChat chat = new RecordingChat(this.fixture.map, LF);
        assertThatThrownBy(() -> chat.setTerminator(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(chat.getTerminator()).as("the terminator in force is unchanged").isEqualTo(LF);
        chat.setTerminator(0);
        assertThat(chat.getTerminator()).isEqualTo(Terminator.count(0));
    }

    // ---------------------------------------------------------------- output

    @Test
    void simpleProducerIsInterleavedWithPushesBeforeAndAfter() throws Exception {
        byte[] before = pattern(256 * 1024);
        byte[] produced = pattern(256 * 1024 + 7);
        produced[0] = 'P';
        long[] queuedBeforeProducer = { -1 };
        TestListener listener = listen(null,
                (channel) -> new RecordingChat(smallSendBuffer(channel), LF, (chat, frame) -> {
                    chat.push(before);
                    queuedBeforeProducer[0] = chat.pendingOutputBytes();
                    chat.pushWithProducer(new SimpleProducer(produced, 512));
                    chat.push(latin1("<after>"));
                }));
        BlockingClient client = connect(listener, RecordingChat.class).client();

        client.write("go\n");

        assertThat(client.readExactly(before.length)).isEqualTo(before);
        assertThat(client.readExactly(produced.length)).isEqualTo(produced);
        assertThat(latin1(client.readExactly("<after>".length()))).isEqualTo("<after>");
        assertThat(this.fixture.onLoop(() -> queuedBeforeProducer[0]))
            .as("bytes still queued when the producer was pushed, so that it had to wait its turn")
            .isPositive();
    }

    @Test
    void customProducerEndsAtItsFirstEmptyBuffer() throws Exception {
        CountingProducer producer = new CountingProducer("one", "two", "three");
        TestListener listener = listen(null, (channel) -> new RecordingChat(channel, LF, (chat, frame) -> {
            chat.push(latin1("["));
            chat.pushWithProducer(producer);
            chat.push(latin1("]"));
        }));
        BlockingClient client = connect(listener, RecordingChat.class).client();

        client.write("go\n");

        assertThat(latin1(client.readExactly("[onetwothree]".length()))).isEqualTo("[onetwothree]");
        this.fixture.runOnLoop(() -> {
            assertThat(producer.calls).as("more() calls: three buffers and the empty one").isEqualTo(4);
            assertThat(producer.threads).containsOnly(this.fixture.loop.name());
        });
    }

    @Test
    void closeWhenDoneFlushesEverythingQueuedBeforeItThenCloses() throws Exception {
        byte[] mebibyte = pattern(1024 * 1024);
        long[] queuedAtClose = { -1 };
        TestListener listener = listen(null,
                (channel) -> new RecordingChat(smallSendBuffer(channel), LF, (chat, frame) -> {
                    chat.push(mebibyte);
                    queuedAtClose[0] = chat.pendingOutputBytes();
                    chat.closeWhenDone();
                    chat.push(latin1("pushed after closeWhenDone"));
                }));
        Connection<RecordingChat> connection = connect(listener, RecordingChat.class);
        BlockingClient client = connection.client();
        RecordingChat chat = connection.chat();

        client.write("go\n");

        byte[] received = client.readToEnd(); // ends at end-of-stream
        assertThat(received).hasSize(mebibyte.length).isEqualTo(mebibyte);
        waiting().until(chat::isClosed);
        assertThat(this.fixture.map.find(chat.id())).isEmpty();
        assertThat(this.fixture.onLoop(() -> chat.closes)).as("handleClose calls").isEqualTo(1);
        assertThat(this.fixture.onLoop(() -> queuedAtClose[0])).as("bytes still queued when closeWhenDone was called")
            .isPositive();
    }

    // ---------------------------------------------------------------- oversized frames

    @Test
    void acceptedChannelsInheritTheListenersSettings() throws Exception {
        ChannelSettings settings = ChannelSettings.DEFAULTS.withMaxFrameSize(64).withReceiveBufferSize(1000);
        TestListener listener = listen(settings, (channel) -> new RecordingChat(channel, LF));
        RecordingChat chat = connect(listener, RecordingChat.class).chat();

        assertThat(chat.getSettings()).isEqualTo(settings).isNotEqualTo(ChannelSettings.DEFAULTS);
        assertThat(chat.getSettings().maxFrameSize()).isEqualTo(64);
    }

    @Test
    void oversizedFrameClosesOnlyThatChannelWithALoggedReason() throws Exception {
        ChannelSettings settings = ChannelSettings.DEFAULTS.withMaxFrameSize(64);
        TestListener listener = listen(settings,
                (channel) -> new RecordingChat(channel, LF, (chat, frame) -> chat.push(concat(frame, latin1("\n")))));
        try (LogCapture log = LogCapture.of(AsyncChat.class)) {
            Connection<RecordingChat> first = connect(listener, RecordingChat.class);
            BlockingClient offender = first.client();
            RecordingChat offending = first.chat();
            Connection<RecordingChat> second = connect(listener, RecordingChat.class);
            BlockingClient bystander = second.client();
            RecordingChat served = second.chat();

            bystander.write("before\n");
            assertThat(bystander.readExactly("before\n")).isEqualTo("before\n");

            // a 64-byte line is allowed, a 65-byte one is not
            String limit = "y".repeat(64) + "\n";
            offender.write(limit);
            assertThat(offender.readExactly(limit)).isEqualTo(limit);
            offender.write("x".repeat(65) + "\n");

            assertThat(offender.read()).as("end-of-stream for the offender").isEqualTo(-1);
            waiting().until(offending::isClosed);
            assertThat(this.fixture.map.find(offending.id())).isEmpty();
            waiting().untilAsserted(() -> assertThat(log.joined()).contains("max-frame-size")
                .contains("WARN").contains("#" + offending.id() + " "));
            assertThat(this.fixture.onLoop(() -> List.copyOf(offending.frames))).containsExactly("y".repeat(64));

            bystander.write("after\n");
            assertThat(bystander.readExactly("after\n")).isEqualTo("after\n");
            assertThat(served.isClosed()).isFalse();
            assertThat(log.joined()).doesNotContain("#" + served.id() + " ");
        }
    }

    @Test
    void overriddenOversizedFrameHandlerAnswersThenClosesWhenDone() throws Exception {
        ChannelSettings settings = ChannelSettings.DEFAULTS.withMaxFrameSize(64);
        TestListener listener = listen(settings, RejectingChat::new);
        Connection<RejectingChat> connection = connect(listener, RejectingChat.class);
        BlockingClient client = connection.client();
        RejectingChat chat = connection.chat();

        client.write("z".repeat(100) + "\n");

        String error = "ERR frame too long\r\n";
        assertThat(client.readExactly(error)).isEqualTo(error);
        assertThat(client.read()).as("end-of-stream after the error line").isEqualTo(-1);
        waiting().until(chat::isClosed);
        assertThat(this.fixture.onLoop(() -> chat.oversized)).isGreaterThan(64);
        assertThat(this.fixture.onLoop(() -> List.copyOf(chat.chunks)))
            .as("nothing of the oversized frame was collected")
            .isEmpty();
    }

    @Test
    void oversizedCountFrameIsNeverPassedToFoundTerminator() throws Exception {
        ChannelSettings settings = ChannelSettings.DEFAULTS.withMaxFrameSize(64);
        TestListener listener = listen(settings, (channel) -> new RecordingChat(channel, Terminator.count(100)));
        Connection<RecordingChat> connection = connect(listener, RecordingChat.class);
        BlockingClient client = connection.client();
        RecordingChat chat = connection.chat();

        sendAndSettle(client, chat, latin1("c".repeat(60))); // within the limit: collected
        client.write("d".repeat(40)); // completes the count, but the frame is 100 bytes long

        assertThat(client.read()).as("end-of-stream").isEqualTo(-1);
        waiting().until(chat::isClosed);
        assertThat(this.fixture.onLoop(() -> chat.terminatorsFound))
            .as("foundTerminator calls for a frame cut off at max-frame-size (frames: %s)",
                    this.fixture.onLoop(() -> List.copyOf(chat.frames)))
            .isZero();
    }

    // ---------------------------------------------------------------- threads

    @Test
    void pushFromAnotherThreadArrivesInOrder() throws Exception {
        TestListener listener = listen(null, (channel) -> new RecordingChat(channel, LF));
        Connection<RecordingChat> connection = connect(listener, RecordingChat.class);
        BlockingClient client = connection.client();
        RecordingChat chat = connection.chat();
        assertThat(chat.executor().inEventLoop()).as("the test thread is not the loop thread").isFalse();

        // one buffer, overwritten after each push returns: push must have taken its bytes by then
        byte[] line = new byte["message 0000\n".length()];
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            if (i == 1000) {
                String produced = "produced by a producer\n";
                chat.pushWithProducer(new SimpleProducer(latin1(produced), 3));
                expected.append(produced);
            }
            String text = String.format("message %04d", i) + "\n";
            System.arraycopy(latin1(text), 0, line, 0, line.length);
            chat.push(line);
            expected.append(text);
        }
        chat.closeWhenDone();

        assertThat(latin1(client.readToEnd())).isEqualTo(expected.toString());
        waiting().until(chat::isClosed);
    }

    // ---------------------------------------------------------------- helpers

    private TestListener listen(ChannelSettings settings, TestListener.Adopter adopter) {
        TestListener listener = this.fixture.onLoop(() -> {
            TestListener created = new TestListener(this.fixture.map, adopter);
            if (settings != null) {
                created.setSettings(settings);
            }
            return created;
        });
        this.resources.add(listener::close);
        return listener;
    }

    /** Connects a client and returns it with the chat the listener adopted its connection into. */
    private <T extends AsyncChat> Connection<T> connect(TestListener listener, Class<T> type) throws IOException {
        int index = listener.accepted.size();
        BlockingClient client = BlockingClient.connect(listener.address());
        this.resources.add(client);
        waiting().until(() -> listener.accepted.size() > index);
        return new Connection<>(client, type.cast(listener.accepted.get(index)));
    }

    /**
     * Writes the bytes and returns once the chat has read them all and the handler that read the last of
     * them has returned, so that the next write cannot join the same read.
     */
    private void sendAndSettle(BlockingClient client, Dispatcher chat, byte[] bytes) throws IOException {
        long target = bytesRead(chat) + bytes.length;
        client.write(bytes);
        waiting().until(() -> bytesRead(chat) >= target);
        this.fixture.runOnLoop(() -> {
            // a task runs between iterations: the read handler is done framing
        });
        assertThat(bytesRead(chat)).isEqualTo(target);
    }

    /** Shrinks the socket's send buffer so that large pushes stay queued in the chat. */
    private static SocketChannel smallSendBuffer(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 8 * 1024);
        return channel;
    }

    private long bytesRead(Dispatcher chat) {
        return this.fixture.map.snapshot(chat.id()).map(ChannelSnapshot::bytesRead).orElse(-1L);
    }

    private static ConditionFactory waiting() {
        return await().atMost(LoopFixture.WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
    }

    static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        byte[] part = new byte[to - from];
        System.arraycopy(bytes, from, part, 0, part.length);
        return part;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** Bytes that differ from one 512-byte chunk to the next, so that reordered or repeated chunks show. */
    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ((i * 31 + i / 251) % 251);
        }
        return bytes;
    }

    record Connection<T extends AsyncChat>(BlockingClient client, T chat) {
    }

    @FunctionalInterface
    interface FrameAction {

        void onFrame(RecordingChat chat, byte[] frame) throws IOException;

    }

    /**
     * Records what the framing does: every chunk passed to collectIncomingData, every frame, every read
     * and close. Its lists are touched on the loop thread only (tests read them with onLoop).
     */
    static class RecordingChat extends AsyncChat {

        final List<String> chunks = new ArrayList<>();

        final List<String> frames = new ArrayList<>();

        int terminatorsFound;

        int reads;

        int closes;

        private final FrameAction action;

        RecordingChat(SocketChannel channel, Terminator terminator) throws IOException {
            this(channel, terminator, null);
        }

        RecordingChat(SocketChannel channel, Terminator terminator, FrameAction action) throws IOException {
            super(channel);
            this.action = action;
            setTerminator(terminator);
        }

        /** Without a socket, for what needs no connection. */
        RecordingChat(ChannelMap map, Terminator terminator) {
            super(map);
            this.action = null;
            setTerminator(terminator);
        }

        @Override
        public void handleRead() throws IOException {
            this.reads++;
            super.handleRead();
        }

        @Override
        public void collectIncomingData(ByteBuffer data) {
            byte[] chunk = new byte[data.remaining()];
            data.duplicate().get(chunk);
            this.chunks.add(latin1(chunk));
            super.collectIncomingData(data);
        }

        @Override
        public void foundTerminator() throws IOException {
            this.terminatorsFound++;
            byte[] frame = takeData();
            this.frames.add(latin1(frame));
            if (this.action != null) {
                this.action.onFrame(this, frame);
            }
        }

        @Override
        public void handleClose() throws IOException {
            this.closes++;
            super.handleClose();
        }

        List<String> takeFrames() {
            List<String> taken = List.copyOf(this.frames);
            this.frames.clear();
            return taken;
        }

    }

    /** A header line "LEN n" switches to a count of n for the body, which switches back to lines. */
    static final class HeaderChat extends RecordingChat {

        final List<String> events = new ArrayList<>();

        private boolean inBody;

        HeaderChat(SocketChannel channel) throws IOException {
            super(channel, LF);
        }

        @Override
        public void foundTerminator() throws IOException {
            super.foundTerminator();
            String frame = this.frames.get(this.frames.size() - 1);
            if (this.inBody) {
                this.events.add("body " + frame);
                this.inBody = false;
                setTerminator("\n");
            }
            else if (frame.startsWith("LEN ")) {
                int length = Integer.parseInt(frame.substring(4));
                this.events.add("header " + length);
                this.inBody = true;
                setTerminator(length);
            }
            else {
                this.events.add("line " + frame);
            }
        }

    }

    /** Answers an oversized frame with an error line, then closes when that is written. */
    static final class RejectingChat extends RecordingChat {

        long oversized;

        RejectingChat(SocketChannel channel) throws IOException {
            super(channel, LF);
        }

        @Override
        public void handleOversizedFrame(long frameLength) throws IOException {
            this.oversized = frameLength;
            push(latin1("ERR frame too long\r\n"));
            closeWhenDone();
        }

    }

    /** Returns its buffers, then an empty one; counts the calls and the threads that made them. */
    static final class CountingProducer implements Producer {

        private final String[] parts;

        int calls;

        final List<String> threads = new ArrayList<>();

        CountingProducer(String... parts) {
            this.parts = parts;
        }

        @Override
        public ByteBuffer more() {
            this.threads.add(Thread.currentThread().getName());
            int index = this.calls++;
            if (index < this.parts.length) {
                return ByteBuffer.wrap(latin1(this.parts[index]));
            }
            if (index == this.parts.length) {
                return ByteBuffer.allocate(0);
            }
            return ByteBuffer.wrap(latin1("called after it was exhausted"));
        }

    }

}
