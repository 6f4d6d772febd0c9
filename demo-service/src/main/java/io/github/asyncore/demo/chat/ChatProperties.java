package io.github.asyncore.demo.chat;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the line chat, under {@code demo.chat}.
 *
 * @param maxLinesPerSecond how many lines a second each chatter may send, on average; more are dropped (the
 *        sender is told once), so that one chatter cannot flood everyone else's screen and output
 * @param burst how many lines a chatter may send at once before the rate applies (a paste of a few lines)
 * @param relay where the room's lines go besides this instance's chatters: {@code local} (nowhere: one room
 *        per instance) or {@code redis} (every instance sharing {@code spring.data.redis.*} and the channel)
 * @param redisChannel the Redis pub/sub channel the instances of one room share
 */
@ConfigurationProperties("demo.chat")
public record ChatProperties(@DefaultValue("10") double maxLinesPerSecond, @DefaultValue("20") int burst,
        @DefaultValue("local") Relay relay, @DefaultValue("asyncore-demo:chat") String redisChannel) {

    /** Where the room's lines go besides this instance's chatters. */
    public enum Relay {

        /** Nowhere: each instance has a room of its own. */
        LOCAL,

        /** Through Redis pub/sub to every instance on the same channel. */
        REDIS

    }

    /**
     * Checks the limits.
     * @throws IllegalArgumentException naming the setting when one is not positive
     */
    public ChatProperties {
        if (!(maxLinesPerSecond > 0)) {
            throw new IllegalArgumentException(
                    "demo.chat.max-lines-per-second must be positive, was " + maxLinesPerSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("demo.chat.burst must be at least 1, was " + burst);
        }
    }

}
