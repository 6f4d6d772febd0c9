package io.github.asyncore.demo.chat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.FixedBackOff;

/**
 * With {@code demo.chat.relay=redis}, joins this instance's chat room to every other instance's through one
 * Redis pub/sub channel: each line a chatter here sends is published once, tagged with this instance's id, and
 * each line published by another instance is broadcast to the chatters here. An instance skips its own lines
 * (its chatters had them already), so nobody sees a line twice.
 * <p>
 * Publishing never blocks a loop: the room hands lines to one publisher thread through a bounded queue
 * ({@link RelayPublisher}: one thread, so one chatter's lines reach Redis in the order they were sent, many lines
 * to a round trip); when Redis is slow or gone and the queue is full, further lines are dropped for the other
 * instances and counted, while this instance's chatters still get them. Lines from Redis arrive in order on the listener container's subscription thread, and the
 * room's {@code ChannelGroup} takes them from any thread.
 * <p>
 * Redis going away does not take the room down: a probe asks Redis every second; when it stops answering,
 * the room goes on with this instance's chatters alone (they are told once, the log says so once, their lines
 * are not kept for later), and when it answers again the subscription is renewed and the chatters are told the
 * room spans every instance again. Neither liveness nor readiness changes: this instance still serves its own
 * chatters and everything else, and taking every instance out of its Service during a Redis outage would stop
 * the whole service. Redis's own health indicator and the {@code demo.chat.relay.*} meters show the state.
 * <p>
 * Nicks span the instances too ({@link RedisNicks}): the probe renews this instance's chatters' nicks in Redis.
 */
@Component
@ConditionalOnProperty(name = "demo.chat.relay", havingValue = "redis")
class RedisChatRelay implements MessageListener, DisposableBean {

    private static final Logger logger = LoggerFactory.getLogger(RedisChatRelay.class);

    /** How often Redis is asked whether it is there, and how often a lost subscription is renewed. */
    private static final Duration PROBE = Duration.ofSeconds(1);

    private final String instance = UUID.randomUUID().toString();

    /** What every line this instance publishes starts with: its id, then a newline. */
    private final String origin = this.instance + "\n";

    private final ChatRoom room;

    private final StringRedisTemplate redis;

    private final String channel;

    private final RelayPublisher publisher;

    private final RedisMessageListenerContainer listener;

    private final AtomicLong published = new AtomicLong();

    private final AtomicLong received = new AtomicLong();

    private final AtomicLong dropped = new AtomicLong();

    private final ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(
            new CustomizableThreadFactory("chat-relay-probe-"));

    /** Whether Redis answered the last probe: lines are published only then. */
    private volatile boolean connected;

    /** Whether a probe ran: the first one that finds Redis away says so, as a later loss would. */
    private boolean probed;

    private final RedisNicks nicks;

    RedisChatRelay(ChatRoom room, StringRedisTemplate redis, ChatProperties properties,
            ObjectProvider<MeterRegistry> meters) {
        this.room = room;
        this.redis = redis;
        this.channel = properties.redisChannel();
        this.listener = new RedisMessageListenerContainer();
        this.listener.setConnectionFactory(redis.getRequiredConnectionFactory());
        // on the subscription's own thread, one message after the other: the container's default hands each
        // message to a new thread, which would let two lines of one chatter overtake each other
        this.listener.setTaskExecutor(new SyncTaskExecutor());
        this.listener.setRecoveryBackoff(new FixedBackOff(PROBE.toMillis(), FixedBackOff.UNLIMITED_ATTEMPTS));
        this.listener.addMessageListener(this, new ChannelTopic(this.channel));
        this.listener.afterPropertiesSet();
        this.publisher = new RelayPublisher(this.redis, this.channel, this.origin, this.published, this.dropped);
        room.relayTo(this::publish);
        this.nicks = new RedisNicks(this.redis, this.instance, this.channel, () -> this.connected);
        room.nicksHeldBy(this.nicks);
        meters.ifAvailable(this::bindMeters);
        logger.info("Chat room relayed through Redis channel '{}' as instance {}", this.channel, this.instance);
        // the first probe too runs on the probe's thread: an unreachable Redis does not hold up start-up
        this.probe.scheduleWithFixedDelay(this::check, 0, PROBE.toMillis(), TimeUnit.MILLISECONDS);
        this.probe.scheduleWithFixedDelay(this::renewNicksWhileConnected, RedisNicks.RENEWAL.toMillis(),
                RedisNicks.RENEWAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The probe: asks Redis whether it is there, and joins or leaves the shared room on a change. */
    private void check() {
        boolean reachable;
        try {
            reachable = "PONG".equalsIgnoreCase(this.redis.execute((RedisCallback<String>) RedisConnection::ping));
            if (reachable && !this.listener.isRunning()) {
                this.listener.start();
            }
        }
        catch (RuntimeException ex) {
            reachable = false;
            if (this.connected || !this.probed) {
                logger.warn("Redis is unreachable ({}): the chat room is this instance's alone until it is back;"
                        + " asking again every {} s", ex.toString(), PROBE.toSeconds());
            }
        }
        this.probed = true;
        if (reachable && !this.connected) {
            this.connected = true;
            logger.info("Chat room joined through Redis channel '{}'", this.channel);
            this.room.deliver("* the room spans every server");
            renewNicks(); // claims the nicks given meanwhile; chatters whose nick is held elsewhere get guest nicks
        }
        else if (!reachable && this.connected) {
            this.connected = false;
            this.room.deliver("* the room is this server's alone for now: the other servers are out of reach");
        }
    }

    private void renewNicksWhileConnected() {
        if (this.connected) {
            renewNicks();
        }
    }

    private void renewNicks() {
        try {
            List<String> lost = this.nicks.renew(this.room.nicksHere());
            if (!lost.isEmpty()) {
                this.room.nicksLost(lost);
            }
        }
        catch (RuntimeException ex) {
            logger.debug("Chat nicks not renewed in Redis: {}", ex.toString());
        }
    }

    private void bindMeters(MeterRegistry registry) {
        FunctionCounter.builder("demo.chat.relay.published", this.published, AtomicLong::get)
            .description("Chat lines published to the other instances through Redis")
            .register(registry);
        FunctionCounter.builder("demo.chat.relay.received", this.received, AtomicLong::get)
            .description("Chat lines from other instances delivered here")
            .register(registry);
        FunctionCounter.builder("demo.chat.relay.dropped", this.dropped, AtomicLong::get)
            .description("Chat lines said here that did not reach the other instances")
            .register(registry);
        Gauge.builder("demo.chat.relay.connected", this, (relay) -> relay.connected ? 1 : 0)
            .description("1 while Redis answers and the room spans every instance, else 0")
            .register(registry);
    }

    /** The room's relay: queues the line for the publisher thread. A chatter's loop thread; never blocks. */
    private void publish(String line) {
        if (this.connected) {
            this.publisher.offer(line);
        }
        else {
            this.dropped.incrementAndGet(); // not kept for later: a line said during an outage stays here
        }
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        String text = new String(message.getBody(), StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        if (end < 0 || text.startsWith(this.origin)) {
            return; // not ours to show: malformed, or this instance's own line
        }
        this.received.incrementAndGet();
        this.room.deliver(text.substring(end + 1));
    }

    /** @return lines published to Redis */
    long published() {
        return this.published.get();
    }

    /** @return lines from other instances delivered here */
    long received() {
        return this.received.get();
    }

    /** @return whether Redis answered the last probe */
    boolean connected() {
        return this.connected;
    }

    /** @return lines this instance's chatters sent that did not reach Redis */
    long dropped() {
        return this.dropped.get();
    }

    @Override
    public void destroy() throws Exception {
        this.room.relayTo((line) -> {
        });
        this.probe.shutdownNow();
        this.room.nicksHeldBy(NickRegistry.LOCAL);
        this.nicks.stop();
        this.listener.stop();
        this.listener.destroy();
        this.publisher.stop();
    }

}
