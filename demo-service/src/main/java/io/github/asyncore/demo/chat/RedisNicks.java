package io.github.asyncore.demo.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The nicks of every instance of a room relayed through Redis: one key per nick, {@code <channel>:nick:<nick>},
 * holding the id of the instance whose chatter has it, with an expiry of {@link #EXPIRY}. Each instance renews
 * its own chatters' keys every {@link #RENEWAL} (its relay's probe calls {@link #renew}), so the nicks of an
 * instance that dies without giving them back are free again at most {@link #EXPIRY} later.
 * <p>
 * Redis is asked on one thread of its own behind a bounded queue, never on a loop. While Redis is out of reach
 * (the relay's probe says so), or when a question fails or the queue is full, the answer is this instance's
 * alone: a nick free here is granted, {@code /who} lists the chatters here. Nicks granted so meanwhile are
 * claimed in Redis at the next renewal; one that another instance took meanwhile stays with the instance that
 * claims it first, and the other's chatter gets a guest nick ({@link #renew} tells which).
 */
class RedisNicks implements NickRegistry {

    private static final Logger logger = LoggerFactory.getLogger(RedisNicks.class);

    /** How long a nick's key lives without renewal: how long a dead instance's nicks stay taken, at most. */
    static final Duration EXPIRY = Duration.ofSeconds(15);

    /** How often an instance renews its chatters' keys. */
    static final Duration RENEWAL = Duration.ofSeconds(5);

    /** At most this many keys are read for one {@code /who}: the listing is cut there. */
    private static final int MAX_LISTED = 10_000;

    /** Questions waiting for the thread before further ones are answered for this instance alone. */
    private static final int QUEUE = 1_000;

    /** Deletes the key if this instance holds it: 1 when deleted. */
    private static final RedisScript<Long> RELEASE = RedisScript.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0""", Long.class);

    /** Renews the key if this instance holds it, takes it if nobody does: 1 when this instance holds it after. */
    private static final RedisScript<Long> RENEW = RedisScript.of("""
            local holder = redis.call('GET', KEYS[1])
            if holder == ARGV[1] then
              return redis.call('EXPIRE', KEYS[1], ARGV[2])
            elseif not holder then
              redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
              return 1
            end
            return 0""", Long.class);

    private final StringRedisTemplate redis;

    private final String instance;

    private final String prefix;

    private final BooleanSupplier reachable;

    private final ThreadPoolExecutor asker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE), new CustomizableThreadFactory("chat-nicks-"));

    /**
     * @param redis the connection
     * @param instance this instance's id, the value of its keys
     * @param channel the room's channel: the keys' prefix
     * @param reachable whether Redis answered the relay's last probe
     */
    RedisNicks(StringRedisTemplate redis, String instance, String channel, BooleanSupplier reachable) {
        this.redis = redis;
        this.instance = instance;
        this.prefix = channel + ":nick:";
        this.reachable = reachable;
    }

    @Override
    public CompletableFuture<Boolean> claim(String nick) {
        return ask(() -> Boolean.TRUE.equals(
                this.redis.opsForValue().setIfAbsent(this.prefix + nick, this.instance, EXPIRY)), true);
    }

    @Override
    public void release(String nick) {
        ask(() -> this.redis.execute(RELEASE, List.of(this.prefix + nick), this.instance), 0L);
    }

    @Override
    public CompletableFuture<List<String>> list(List<String> here) {
        return ask(() -> {
            TreeSet<String> all = new TreeSet<>(here);
            ScanOptions keys = ScanOptions.scanOptions().match(this.prefix + "*").count(1_000).build();
            try (Cursor<String> cursor = this.redis.scan(keys)) {
                while (cursor.hasNext() && all.size() < MAX_LISTED) {
                    all.add(cursor.next().substring(this.prefix.length()));
                }
            }
            return new ArrayList<>(all);
        }, here);
    }

    /**
     * Renews this instance's keys, and claims those granted while Redis was away. The relay's probe thread;
     * blocks on Redis.
     * @param here the nicks of this instance's chatters
     * @return those of them another instance holds (granted there while the instances were apart)
     */
    List<String> renew(Collection<String> here) {
        List<String> lost = new ArrayList<>();
        for (String nick : here) {
            Long mine = this.redis.execute(RENEW, List.of(this.prefix + nick), this.instance,
                    Long.toString(EXPIRY.toSeconds()));
            if (mine != null && mine == 0) {
                lost.add(nick);
            }
        }
        if (!lost.isEmpty()) {
            logger.info("Nicks {} of chatters here were taken by another instance while Redis was out of reach;"
                    + " these chatters get guest nicks", lost);
        }
        return lost;
    }

    /**
     * Stops asking, after the questions already asked (the nicks of chatters closed at shutdown are given back
     * then), for up to two seconds; what is left is dropped, and its keys expire.
     * @throws InterruptedException if interrupted while waiting
     */
    void stop() throws InterruptedException {
        this.asker.shutdown();
        if (!this.asker.awaitTermination(2, TimeUnit.SECONDS)) {
            this.asker.shutdownNow();
        }
    }

    /** Asks Redis on the asker thread; the answer for this instance alone when it cannot. */
    private <T> CompletableFuture<T> ask(Supplier<T> question, T alone) {
        if (!this.reachable.getAsBoolean()) {
            return CompletableFuture.completedFuture(alone);
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        try {
            this.asker.execute(() -> {
                try {
                    answer.complete(question.get());
                }
                catch (RuntimeException ex) {
                    logger.debug("Redis did not answer about nicks: {}", ex.toString());
                    answer.complete(alone);
                }
            });
        }
        catch (RejectedExecutionException ex) {
            answer.complete(alone);
        }
        return answer;
    }

}
