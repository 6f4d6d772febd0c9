package io.github.asyncore.demo.chat;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the line chat, under {@code demo.chat}.
 *
 * @param maxLinesPerSecond how many lines a second each chatter may send, on average; more are dropped (the
 *        sender is told once), so that one chatter cannot flood everyone else's screen and output
 * @param burst how many lines a chatter may send at once before the rate applies (a paste of a few lines)
 */
@ConfigurationProperties("demo.chat")
public record ChatProperties(@DefaultValue("10") double maxLinesPerSecond, @DefaultValue("20") int burst) {

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
