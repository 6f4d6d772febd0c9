package io.github.asyncore.demo.soak;

import java.util.SplittableRandom;

/**
 * What one client does, picked at random with these weights. The well-behaved ones check every byte and
 * line they get back; the abusive ones check that they get the documented outcome.
 */
enum Scenario {

    /** 1 to 3 streams of 1 B to 384 KiB through one connection, written in random chunks, every byte checked. */
    ECHO("echo", 22, false),

    /** A stream, then shutdownOutput (half the time reading only after it): every byte must still come back before the end-of-stream. */
    ECHO_HALF_CLOSE("echo half-close", 6, true),

    /** Part of a stream, then a reset (SO_LINGER 0) with echo still in flight. */
    ECHO_RESET("echo reset", 6, true),

    /** 256 KiB to 2 MiB sent at once, read after a pause of up to 2 s at 512 KiB/s to 2 MiB/s. */
    ECHO_SLOW_READER("echo slow reader", 4, true),

    /** Connects and sends nothing: closes after up to 3 s, or waits for the server's idle timeout. */
    ECHO_SILENT("echo silent", 4, true),

    /** Two or three chatters: /nick, lines checked by the others, /who, /quit. */
    CHAT("chat", 14, false),

    /** A line over the 1 KiB limit: the error line, then end-of-stream. */
    CHAT_OVERSIZED("chat oversized line", 5, true),

    /** Random bytes (no line over the limit), then /quit: the session survives and answers. */
    CHAT_RANDOM_BYTES("chat random bytes", 5, true),

    /** Joins, maybe starts a line it never ends, reads nothing for up to 3 s, closes or resets. */
    CHAT_SILENT("chat silent", 4, true),

    /** /who, then shutdownOutput: the answer, then end-of-stream. */
    CHAT_HALF_CLOSE("chat half-close", 4, true),

    /** 1 to 20 datagrams of 1 B to 65,507 B, each checked. */
    UDP("udp", 10, false),

    /** GET /fetch of a page of 0 to 200 KiB from a local JDK HTTP server, the JSON answer checked. */
    FETCH("fetch", 8, false),

    /** GET /fetch with a URL it must refuse: 400 with the reason. */
    FETCH_HOSTILE_URL("fetch hostile URL", 5, true),

    /** GET /fetch of an upstream that is silent, not HTTP, too large, refusing or not accepting: 502 or 504. */
    FETCH_HOSTILE_UPSTREAM("fetch hostile upstream", 3, true);

    private static final int TOTAL_WEIGHT;

    static {
        int total = 0;
        for (Scenario scenario : values()) {
            total += scenario.weight;
        }
        TOTAL_WEIGHT = total;
    }

    private final String label;

    private final int weight;

    private final boolean abusive;

    Scenario(String label, int weight, boolean abusive) {
        this.label = label;
        this.weight = weight;
        this.abusive = abusive;
    }

    String label() {
        return this.label;
    }

    boolean abusive() {
        return this.abusive;
    }

    static Scenario pick(SplittableRandom random) {
        int ticket = random.nextInt(TOTAL_WEIGHT);
        for (Scenario scenario : values()) {
            ticket -= scenario.weight;
            if (ticket < 0) {
                return scenario;
            }
        }
        throw new IllegalStateException();
    }

}
