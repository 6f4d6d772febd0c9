package io.github.asyncore.core;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A peer that half-closes after its request still gets the whole answer. */
class EndOfStreamTest {

    private static final int ANSWER_SIZE = 16 * 1024 * 1024;

    private final LoopFixture fixture = LoopFixture.started("end-of-stream");

    @AfterEach
    void close() {
        this.fixture.close();
    }

    @Test
    void pendingOutputIsWrittenBeforeTheChannelClosesOnEndOfStream() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map, BigAnswer::new));
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            client.write("?");
            client.shutdownOutput();
            BigAnswer server = listener.awaitAccepted();
            await().atMost(LoopFixture.WAIT).until(() -> server.endOfStreamWithPendingOutput);
            byte[] answer = client.readExactly(ANSWER_SIZE);
            assertThat(answer.length).isEqualTo(ANSWER_SIZE);
            assertThat(Arrays.mismatch(answer, BigAnswer.ANSWER)).as("first corrupt byte").isEqualTo(-1);
            assertThat(client.read()).as("closed once everything was written").isEqualTo(-1);
            await().atMost(LoopFixture.WAIT).until(server::isClosed);
            assertThat(server.closes).isEqualTo(1);
        }
    }

    @Test
    void withNothingOwedEndOfStreamClosesAtOnce() throws Exception {
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map,
                (channel) -> new SocketVariantsTest.Echo(channel, this.fixture.map)));
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            client.write("ping");
            assertThat(client.readExactly("ping")).isEqualTo("ping");
            client.shutdownOutput();
            assertThat(client.read()).isEqualTo(-1);
        }
        assertThat(listener.<Dispatcher>awaitAccepted().isClosed()).isTrue();
    }

    /** Answers the first byte with 16 MiB: far more than the socket buffers hold. */
    static final class BigAnswer extends BufferedDispatcher {

        static final byte[] ANSWER = new byte[ANSWER_SIZE];

        static {
            for (int i = 0; i < ANSWER.length; i++) {
                ANSWER[i] = (byte) (i % 253);
            }
        }

        volatile boolean endOfStreamWithPendingOutput;

        volatile int closes;

        BigAnswer(SocketChannel channel) throws IOException {
            super(channel);
            // marks above the answer: reading never pauses, so the end-of-stream arrives while it is queued;
            // no output limit: the whole answer is queued in one send, past the default hard limit
            setSettings(getSettings().withWriteBufferWaterMark(new WriteBufferWaterMark(2 * ANSWER_SIZE,
                    4 * ANSWER_SIZE)).withOutputLimit(OutputLimit.NONE));
        }

        @Override
        public void handleRead() throws IOException {
            if (recv(16).length > 0) {
                send(ANSWER);
            }
        }

        @Override
        public void handleEndOfStream() throws IOException {
            this.endOfStreamWithPendingOutput = pendingOutputBytes() > 0;
            super.handleEndOfStream();
        }

        @Override
        public void handleClose() throws IOException {
            this.closes++;
            super.handleClose();
        }

    }

}
