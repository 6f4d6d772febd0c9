package io.github.asyncore.core.internal.loop;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool that runs TLS engines' handshake work off the loops unless a map is given its own: as many
 * daemon threads ({@code asyncore-handshake-N}) as the machine has processors, started on first use and
 * ended after a minute without work, so an application without TLS never sees them. Not API.
 */
public final class HandshakeThreads {

    private static final Executor SHARED = create(Runtime.getRuntime().availableProcessors(), "asyncore-handshake");

    private HandshakeThreads() {
    }

    /** @return the pool shared by every map that was not given an executor of its own */
    public static Executor shared() {
        return SHARED;
    }

    /**
     * @param threads the most threads, at least 1
     * @param prefix the threads' name prefix
     * @return a pool of daemon threads that end after a minute idle, its queue unbounded (each task is a
     *         handshake's few milliseconds of work, queued only while every thread is busy)
     */
    private static ThreadPoolExecutor create(int threads, String prefix) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = (task) -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

}
