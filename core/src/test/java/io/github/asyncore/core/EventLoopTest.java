package io.github.asyncore.core;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** asyncore's {@code loop()} contract and what a long-lived loop adds: tasks, timers, stalls. */
class EventLoopTest {

    private final LoopFixture fixture = LoopFixture.notStarted("loop-test");

    private final ChannelMap map = this.fixture.map;

    private final EventLoop loop = this.fixture.loop;

    @AfterEach
    void close() {
        this.fixture.close();
    }

    @Test
    void loopReturnsWhenTheMapEmpties() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            RecordingDispatcher client = new RecordingDispatcher(this.map) {
                @Override
                public void handleConnect() throws IOException {
                    super.handleConnect();
                    close();
                }
            };
            client.writable = true;
            client.createSocket();
            client.connect(peer.getLocalSocketAddress());
            assertThat(this.map.size()).isEqualTo(1);
            assertTimeoutPreemptively(LoopFixture.WAIT, () -> Asyncore.loop(Duration.ofSeconds(30), this.map));
            assertThat(this.map.isEmpty()).isTrue();
            assertThat(client.events).containsExactly("connect");
        }
    }

    @Test
    void loopWithAnEmptyMapReturnsAtOnce() {
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> Asyncore.loop(Duration.ofSeconds(30), this.map));
        assertThat(this.loop.snapshot().iterations()).isZero();
    }

    @Test
    void loopReturnsAfterCountIterations() throws Exception {
        TestListener listener = new TestListener(this.map, (channel) -> null);
        Asyncore.loop(Duration.ofMillis(5), this.map, 3);
        assertThat(this.loop.snapshot().iterations()).isEqualTo(3);
        Asyncore.loop(Duration.ofMillis(5), this.map, 0);
        assertThat(this.loop.snapshot().iterations()).isEqualTo(3);
        assertThat(listener.isAccepting()).isTrue();
        assertThatIllegalArgumentException().isThrownBy(() -> Asyncore.loop(Duration.ZERO, this.map, -1));
    }

    @Test
    void eachWaitIsBoundedByTheTimeout() throws Exception {
        new TestListener(this.map, (channel) -> null);
        long start = System.nanoTime();
        Asyncore.loop(Duration.ofMillis(200), this.map, 1);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(tookMillis).isBetween(190L, 2_000L);
        start = System.nanoTime();
        Asyncore.loop(Duration.ZERO, this.map, 5);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("a zero timeout polls")
            .isLessThan(150L);
    }

    @Test
    void anIdleRunningLoopBlocksInTheSelectorInsteadOfSpinning() throws Exception {
        new TestListener(this.map, (channel) -> null);
        this.loop.setSelectTimeout(Duration.ofSeconds(30));
        this.loop.start();
        AtomicInteger ran = new AtomicInteger();
        this.loop.execute(ran::incrementAndGet);
        await().atMost(LoopFixture.WAIT).until(() -> ran.get() == 1);
        long before = this.loop.snapshot().iterations();
        AtomicInteger polls = new AtomicInteger();
        await().pollInterval(Duration.ofMillis(50)).atMost(LoopFixture.WAIT).until(() -> polls.incrementAndGet() >= 6);
        assertThat(this.loop.snapshot().iterations() - before).as("iterations while idle for ~300 ms")
            .isLessThanOrEqualTo(1);
    }

    @Test
    void executeRunsTasksOnTheLoopThreadInOrderAndWakesIt() {
        this.loop.setSelectTimeout(Duration.ofSeconds(30));
        Thread thread = this.loop.start();
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<Boolean> onLoop = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            this.loop.execute(() -> {
                order.add(n);
                onLoop.add(Thread.currentThread() == thread && this.loop.inEventLoop());
            });
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> order.size() == 100);
        assertThat(order).isSorted();
        assertThat(onLoop).containsOnly(true);
        assertThat(this.loop.inEventLoop()).as("the test thread is not the loop thread").isFalse();
    }

    @Test
    void aFailingTaskIsLoggedAndTheLoopGoesOn() {
        this.loop.start();
        AtomicInteger ran = new AtomicInteger();
        try (LogCapture log = LogCapture.of(EventLoop.class)) {
            this.loop.execute(() -> {
                throw new IllegalStateException("task bug");
            });
            this.loop.execute(ran::incrementAndGet);
            await().atMost(LoopFixture.WAIT).until(() -> ran.get() == 1);
            assertThat(log.joined()).contains("failed; the loop goes on");
        }
    }

    @Test
    void timersFireInDeadlineOrderAndCanBeCancelled() {
        this.loop.setSelectTimeout(Duration.ofSeconds(30));
        this.loop.start();
        List<String> fired = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        this.loop.schedule(Duration.ofMillis(300), () -> fired.add("late"));
        ScheduledTask cancelled = this.loop.schedule(Duration.ofMillis(100), () -> fired.add("cancelled"));
        ScheduledTask early = this.loop.schedule(Duration.ofMillis(50), () -> fired.add("early"));
        assertThat(cancelled.cancel()).isTrue();
        assertThat(cancelled.cancel()).as("a second cancel changes nothing").isFalse();
        await().atMost(LoopFixture.WAIT).until(() -> fired.size() == 2);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(300L);
        assertThat(fired).containsExactly("early", "late");
        assertThat(early.isDone()).isTrue();
        assertThat(cancelled.isCancelled()).isTrue();
        assertThat(cancelled.isDone()).isFalse();
    }

    @Test
    void cancelledTimersDoNotPileUpUntilTheirDeadline() {
        this.loop.start();
        java.util.List<ScheduledTask> timers = new java.util.ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            timers.add(this.loop.schedule(Duration.ofMinutes(10), () -> { }));
        }
        await().atMost(LoopFixture.WAIT).until(() -> this.loop.snapshot().scheduledTimers() == 5000);
        timers.forEach(ScheduledTask::cancel);
        for (int i = 0; i < 4000; i++) { // closed connections' timers, while new ones keep coming
            this.loop.schedule(Duration.ofMinutes(10), () -> { });
        }
        // the queue is purged whenever it has doubled since the last purge: the 5000 cancelled ones are gone
        await().atMost(LoopFixture.WAIT).until(() -> this.loop.snapshot().scheduledTimers() == 4000);
    }

    @Test
    void aSlowHandlerIsCountedAndLoggedAsAStall() throws Exception {
        this.loop.setStallThreshold(Duration.ofMillis(50));
        this.loop.start();
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.map,
                (channel) -> new RecordingDispatcher(channel, this.map) {
                    @Override
                    public void handleRead() throws IOException {
                        super.handleRead();
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(120)); // the blocking handler under test
                    }
                }));
        try (LogCapture log = LogCapture.of(EventLoop.class); BlockingClient client = BlockingClient.connect(listener.address())) {
            client.write("x");
            await().atMost(LoopFixture.WAIT).until(() -> this.loop.snapshot().stalls() >= 1);
            await().atMost(LoopFixture.WAIT).until(() -> log.joined().contains("over the stall threshold of 50 ms"));
            assertThat(log.joined()).contains("#" + listener.awaitAccepted().id());
        }
    }

    @Test
    void aHandlerBlockingNowShowsAsBusyInTheSnapshot() throws Exception {
        this.loop.setStallThreshold(Duration.ofMillis(50));
        this.loop.start();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        this.loop.execute(() -> {
            try {
                release.await(10, TimeUnit.SECONDS); // the blocked callback under test
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        await().atMost(LoopFixture.WAIT).until(() -> this.loop.snapshot().stalled());
        assertThat(this.loop.snapshot().busyFor()).isGreaterThan(Duration.ofMillis(50));
        release.countDown();
        await().atMost(LoopFixture.WAIT).until(() -> !this.loop.snapshot().stalled());
        assertThat(this.loop.snapshot().stalls()).isEqualTo(1);
    }

    @Test
    void aFatalErrorEndsTheLoopThreadClosesItsChannelsAndIsReported() throws Exception {
        Thread thread = this.loop.start();
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.map,
                (channel) -> new RecordingDispatcher(channel, this.map) {
                    @Override
                    public void handleRead() {
                        throw new OutOfMemoryError("simulated");
                    }
                }));
        try (LogCapture log = LogCapture.of(EventLoop.class); BlockingClient client = BlockingClient.connect(listener.address())) {
            client.write("x");
            thread.join(LoopFixture.WAIT.toMillis());
            assertThat(thread.isAlive()).isFalse();
            LoopSnapshot snapshot = this.loop.snapshot();
            assertThat(snapshot.running()).isFalse();
            assertThat(snapshot.failure()).isInstanceOf(OutOfMemoryError.class).hasMessage("simulated");
            assertThat(snapshot.stoppedAt()).isNotNull();
            assertThat(client.read()).as("its channels are closed").isEqualTo(-1);
            assertThat(this.map.isEmpty()).isTrue();
            assertThat(log.joined()).contains("the loop thread loop-test failed; closing its 2 channels");
        }
    }

    @Test
    void aStackOverflowInAHandlerIsOnlyThatChannelsError() throws Exception {
        this.loop.start();
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.map,
                (channel) -> new RecordingDispatcher(channel, this.map) {
                    @Override
                    public void handleRead() {
                        throw new StackOverflowError("deep");
                    }
                }));
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            client.write("x");
            assertThat(client.read()).isEqualTo(-1);
        }
        assertThat(this.loop.isRunning()).isTrue();
        assertThat(this.loop.snapshot().failure()).isNull();
        assertThat(listener.isAccepting()).isTrue();
    }

    @Test
    void answersChangedByATimerOfTheApplicationAreSeenBeforeTheNextWait() throws Exception {
        this.loop.setSelectTimeout(Duration.ofSeconds(30));
        this.loop.start();
        java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean();
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.map,
                (channel) -> new RecordingDispatcher(channel, this.map) {
                    @Override
                    public boolean readable() {
                        return open.get();
                    }
                }));
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            RecordingDispatcher server = listener.awaitAccepted();
            client.write("queued");
            this.loop.schedule(Duration.ofMillis(200), () -> open.set(true)); // no wakeup(), no I/O
            await().atMost(Duration.ofSeconds(5)).until(() -> server.received.toString().equals("queued"));
        }
    }

    @Test
    void stopEndsTheRunAndKeepsTheChannels() throws Exception {
        new TestListener(this.map, (channel) -> null);
        Thread thread = this.loop.start();
        AtomicInteger ran = new AtomicInteger();
        this.loop.execute(ran::incrementAndGet);
        await().atMost(LoopFixture.WAIT).until(() -> ran.get() == 1);
        this.loop.stop();
        thread.join(LoopFixture.WAIT.toMillis());
        assertThat(thread.isAlive()).isFalse();
        assertThat(this.loop.isRunning()).isFalse();
        assertThat(this.map.size()).isEqualTo(1);
    }

    @Test
    void onlyOneThreadRunsALoop() {
        this.loop.start();
        assertThatIllegalStateException().isThrownBy(this.loop::run).withMessageContaining("already running");
        assertThatIllegalStateException().isThrownBy(this.loop::start).withMessageContaining("already running");
    }

    @Test
    void aDispatcherCreatedOnALoopThreadJoinsThatLoopsMap() throws Exception {
        this.loop.start();
        assertThat(this.fixture.onLoop(() -> new Dispatcher().map())).isSameAs(this.map);
        assertThat(new Dispatcher().map()).as("off any loop: the default map").isSameAs(ChannelMap.defaultMap());
    }

    @Test
    void theLoopCanBeSteppedFromTheTestThreadWithAPeer() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            RecordingDispatcher client = new RecordingDispatcher(this.map);
            client.createSocket();
            client.connect(peer.getLocalSocketAddress());
            try (Socket accepted = peer.accept()) {
                accepted.getOutputStream().write("ping".getBytes());
                for (int i = 0; i < 50 && client.received.length() < 4; i++) {
                    Asyncore.loop(Duration.ofMillis(100), this.map, 1);
                }
                assertThat(client.received.toString()).isEqualTo("ping");
            }
        }
    }

}
