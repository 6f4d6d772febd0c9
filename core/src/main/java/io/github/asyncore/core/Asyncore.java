package io.github.asyncore.core;

import java.time.Duration;

/**
 * asyncore's module functions, for code that reads like the Python original:
 *
 * <pre>{@code
 * new HttpClient("127.0.0.1", 8000, "/");
 * Asyncore.loop();
 * }</pre>
 *
 * Each runs on the calling thread; see {@link EventLoop} for the rules.
 */
public final class Asyncore {

    private Asyncore() {
    }

    /** Runs the default map's loop until the map is empty, waiting at most 30 s at a time. */
    public static void loop() {
        loop(EventLoop.DEFAULT_SELECT_TIMEOUT);
    }

    /**
     * Runs the default map's loop until the map is empty.
     * @param timeout the longest single wait in the selector; zero polls
     */
    public static void loop(Duration timeout) {
        loop(timeout, ChannelMap.defaultMap());
    }

    /**
     * Runs a map's loop until the map is empty, as asyncore's {@code loop(timeout, map=map)}.
     * @param timeout the longest single wait in the selector; zero polls
     * @param map the map to serve
     */
    public static void loop(Duration timeout, ChannelMap map) {
        map.eventLoop().loop(timeout);
    }

    /**
     * Runs a map's loop until the map is empty or {@code count} iterations have run, as asyncore's
     * {@code loop(timeout, map=map, count=count)}.
     * @param timeout the longest single wait in the selector; zero polls
     * @param map the map to serve
     * @param count the most iterations, 0 or more
     */
    public static void loop(Duration timeout, ChannelMap map, int count) {
        map.eventLoop().loop(timeout, count);
    }

    /** Closes every channel of the default map, as asyncore's {@code close_all()}. */
    public static void closeAll() {
        ChannelMap.defaultMap().closeAll();
    }

    /**
     * Closes every channel of a map, as asyncore's {@code close_all(map)}.
     * @param map the map to empty
     */
    public static void closeAll(ChannelMap map) {
        map.closeAll();
    }

}
