package io.github.asyncore.demo.chat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * With {@code demo.chat.relay=redis}, joins this instance's chat room to every other instance's through one
 * Redis pub/sub channel: each line a chatter here sends is published once, tagged with this instance's id, and
 * each line published by another instance is broadcast to the chatters here. An instance skips its own lines
 * (its chatters had them already), so nobody sees a line twice.
 * <p>
 * Publishing never blocks a loop: the room hands lines to one publisher thread through a bounded queue (one
 * thread, so one chatter's lines reach Redis in the order they were sent); when Redis is slow or gone and the
 * queue is full, further lines are dropped for the other instances and counted, while this instance's chatters
 * still get them. Lines from Redis arrive in order on the listener container's subscription thread, and the
 * room's {@code ChannelGroup} takes them from any thread.
 */
@Component
@ConditionalOnProperty(name = "demo.chat.relay", havingValue = "redis")
class RedisChatRelay implements MessageListener, DisposableBean {

    private static final Logger logger = LoggerFactory.getLogger(RedisChatRelay.class);

    /** Lines waiting for the publisher thread before further ones are dropped. */
    private static final int QUEUE = 10_000;

    private final String instance = UUID.randomUUID().toString();

    private final ChatRoom room;

    private final StringRedisTemplate redis;

    private final String channel;

    private final ThreadPoolExecutor publisher;

    private final RedisMessageListenerContainer listener;

    private final AtomicLong published = new AtomicLong();

    private final AtomicLong received = new AtomicLong();

    private final AtomicLong dropped = new AtomicLong();

    RedisChatRelay(ChatRoom room, RedisConnectionFactory connections, ChatProperties properties) {
        this.room = room;
        this.redis = new StringRedisTemplate(connections);
        this.channel = properties.redisChannel();
        this.publisher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
                new CustomizableThreadFactory("chat-relay-"));
        this.listener = new RedisMessageListenerContainer();
        this.listener.setConnectionFactory(connections);
        // on the subscription's own thread, one message after the other: the container's default hands each
        // message to a new thread, which would let two lines of one chatter overtake each other
        this.listener.setTaskExecutor(new SyncTaskExecutor());
        this.listener.addMessageListener(this, new ChannelTopic(this.channel));
        this.listener.afterPropertiesSet();
        this.listener.start();
        room.relayTo(this::publish);
        logger.info("Chat room relayed through Redis channel '{}' as instance {}", this.channel, this.instance);
    }

    /** The room's relay: queues the line for the publisher thread. A chatter's loop thread; never blocks. */
    private void publish(String line) {
        try {
            this.publisher.execute(() -> {
                try {
                    this.redis.convertAndSend(this.channel, this.instance + "\n" + line);
                    this.published.incrementAndGet();
                }
                catch (RuntimeException ex) {
                    this.dropped.incrementAndGet();
                    logger.debug("Chat line not published to Redis: {}", ex.toString());
                }
            });
        }
        catch (RejectedExecutionException ex) {
            this.dropped.incrementAndGet();
        }
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        String text = new String(message.getBody(), StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        if (end < 0 || text.startsWith(this.instance + "\n")) {
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

    /** @return lines this instance's chatters sent that did not reach Redis */
    long dropped() {
        return this.dropped.get();
    }

    @Override
    public void destroy() throws Exception {
        this.room.relayTo((line) -> {
        });
        this.listener.stop();
        this.listener.destroy();
        this.publisher.shutdown();
        this.publisher.awaitTermination(2, TimeUnit.SECONDS);
    }

}
