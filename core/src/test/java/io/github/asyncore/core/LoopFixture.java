package io.github.asyncore.core;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A map whose loop runs on its own thread for the length of a test, with a way to run code on the loop
 * thread and wait for its result. Close it in {@code @AfterEach} (or try-with-resources).
 */
final class LoopFixture implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    final ChannelMap map;

    final EventLoop loop;

    private LoopFixture(String name) {
        this.map = new ChannelMap(name);
        this.loop = this.map.eventLoop();
    }

    /** @return a fixture whose loop already runs on its own thread */
    static LoopFixture started(String name) {
        LoopFixture fixture = new LoopFixture(name);
        fixture.loop.setSelectTimeout(Duration.ofMillis(500));
        fixture.loop.start();
        return fixture;
    }

    /** @return a fixture whose loop no thread runs yet: step it, or start it with {@code loop.start()} */
    static LoopFixture notStarted(String name) {
        return new LoopFixture(name);
    }

    static InetSocketAddress loopback() {
        return new InetSocketAddress("127.0.0.1", 0);
    }

    /** Runs the action on the loop thread and returns its result, failing after {@link #WAIT}. */
    <T> T onLoop(ThrowingSupplier<T> action) {
        return onLoop(this.loop, action);
    }

    /** Runs the action on the thread of the given loop and returns its result, failing after {@link #WAIT}. */
    static <T> T onLoop(EventLoop loop, ThrowingSupplier<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(action.get());
            }
            catch (Throwable ex) {
                result.completeExceptionally(ex);
            }
        });
        try {
            return result.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (Exception ex) {
            throw new AssertionError("action on the loop thread failed", ex);
        }
    }

    /** Runs the action on the loop thread and waits for it, rethrowing what it threw as is. */
    void runOnLoopRethrowing(ThrowingRunnable action) throws Exception {
        CompletableFuture<Void> result = new CompletableFuture<>();
        this.loop.execute(() -> {
            try {
                action.run();
                result.complete(null);
            }
            catch (Throwable ex) {
                result.completeExceptionally(ex);
            }
        });
        try {
            result.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (java.util.concurrent.ExecutionException ex) {
            if (ex.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw ex;
        }
    }

    /** Runs the action on the loop thread and waits for it. */
    void runOnLoop(ThrowingRunnable action) {
        onLoop(() -> {
            action.run();
            return null;
        });
    }

    @Override
    public void close() {
        this.map.close();
    }

    @FunctionalInterface
    interface ThrowingSupplier<T> {

        T get() throws Exception;

    }

    @FunctionalInterface
    interface ThrowingRunnable {

        void run() throws Exception;

    }

}
