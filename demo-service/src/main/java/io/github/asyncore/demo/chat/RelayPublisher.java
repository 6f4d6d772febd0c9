package io.github.asyncore.demo.chat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Publishes this instance's chat lines to the room's Redis channel, in the order they were said, from one
 * thread of its own behind a bounded queue: a chatter's loop hands a line over without waiting, and a line
 * that finds the queue full is dropped and counted (the instance's own chatters had it already). The thread
 * takes every line waiting, up to {@link #BATCH}, and sends them all on Lettuce's shared connection before it
 * waits for the answers: one round trip to Redis for many lines, so that the rate the room can relay is not
 * one line per round trip, and a line alone goes out at once.
 */
final class RelayPublisher {

    private static final Logger logger = LoggerFactory.getLogger(RelayPublisher.class);

    /** Lines waiting for the thread before further ones are dropped: at most about 10 MB of 1 KB lines. */
    static final int QUEUE = 10_000;

    /** The most lines sent before their answers are awaited: one round trip. */
    private static final int BATCH = 256;

    /** How long a batch may wait for Redis's answers before its lines count as dropped. */
    private static final Duration ANSWER = Duration.ofSeconds(2);

    /** How long a stop waits for the lines already queued. */
    private static final Duration STOP = Duration.ofSeconds(2);

    /** Queued by {@link #stop()} after the last line: the thread ends when it takes it. Compared by identity. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String END = new String("end of lines");

    private final BlockingQueue<String> waiting = new ArrayBlockingQueue<>(QUEUE);

    private final StringRedisTemplate redis;

    private final byte[] channel;

    private final String origin;

    private final AtomicLong published;

    private final AtomicLong dropped;

    private final Thread thread;

    /**
     * Starts the publishing thread.
     * @param redis the connection
     * @param channel the room's channel
     * @param origin what every published line starts with (the instance's id and a newline)
     * @param published counts the lines Redis took
     * @param dropped counts the lines that did not reach Redis
     */
    RelayPublisher(StringRedisTemplate redis, String channel, String origin, AtomicLong published,
            AtomicLong dropped) {
        this.redis = redis;
        this.channel = channel.getBytes(StandardCharsets.UTF_8);
        this.origin = origin;
        this.published = published;
        this.dropped = dropped;
        this.thread = new CustomizableThreadFactory("chat-relay-").newThread(this::run);
        this.thread.start();
    }

    /** Queues the line for publishing, or drops it when the queue is full. Any thread; never blocks. */
    void offer(String line) {
        if (!this.waiting.offer(line)) {
            this.dropped.incrementAndGet();
        }
    }

    private void run() {
        List<String> batch = new ArrayList<>(BATCH);
        try {
            boolean end = false;
            while (!end) {
                batch.add(this.waiting.take());
                this.waiting.drainTo(batch, BATCH - 1);
                end = batch.removeIf((line) -> line == END);
                if (!batch.isEmpty()) {
                    publish(batch);
                }
                batch.clear();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void publish(List<String> batch) {
        try {
            this.redis.execute((RedisCallback<Void>) (connection) -> {
                if (connection.getNativeConnection() instanceof RedisClusterAsyncCommands<?, ?> lettuce) {
                    publishAll(uncheckedBytes(lettuce), batch);
                }
                else {
                    batch.forEach((line) -> connection.publish(this.channel, message(line)));
                }
                return null;
            });
            this.published.addAndGet(batch.size());
        }
        catch (RuntimeException ex) {
            this.dropped.addAndGet(batch.size());
            logger.debug("{} chat line(s) not published to Redis: {}", batch.size(), ex.toString());
        }
    }

    /**
     * Sends every line on the shared connection before waiting for Redis's answers: one round trip for the
     * batch. (Spring Data's pipelining would open a dedicated connection for each batch.)
     */
    private void publishAll(RedisClusterAsyncCommands<byte[], byte[]> lettuce, List<String> batch) {
        RedisFuture<?>[] answers = new RedisFuture<?>[batch.size()];
        for (int i = 0; i < answers.length; i++) {
            answers[i] = lettuce.publish(this.channel, message(batch.get(i)));
        }
        if (!LettuceFutures.awaitAll(ANSWER, answers)) {
            throw new QueryTimeoutException("Redis did not answer " + answers.length + " PUBLISH within " + ANSWER);
        }
    }

    @SuppressWarnings("unchecked")
    private static RedisClusterAsyncCommands<byte[], byte[]> uncheckedBytes(RedisClusterAsyncCommands<?, ?> lettuce) {
        return (RedisClusterAsyncCommands<byte[], byte[]>) lettuce; // Spring Data's connections speak byte[]
    }

    private byte[] message(String line) {
        return (this.origin + line).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Publishes what is queued, for up to two seconds, and ends the thread.
     * @throws InterruptedException if interrupted while waiting
     */
    void stop() throws InterruptedException {
        if (this.waiting.offer(END)) {
            this.thread.join(STOP.toMillis());
        }
        this.thread.interrupt();
    }

}
