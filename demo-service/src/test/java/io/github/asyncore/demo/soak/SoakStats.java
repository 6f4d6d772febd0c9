package io.github.asyncore.demo.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the clients did and saw, counted from every client thread: connections by kind, bytes and
 * messages verified, expected outcomes of abuse (counted apart), and failures (a lost or corrupted byte,
 * a wrong answer, an unexpected error) with the first few messages of each kind.
 */
final class SoakStats {

    private static final int SAMPLES_PER_FAILURE = 5;

    private final Map<String, LongAdder> connections = new ConcurrentSkipListMap<>();

    private final Map<String, LongAdder> verified = new ConcurrentSkipListMap<>();

    private final Map<String, LongAdder> expected = new ConcurrentSkipListMap<>();

    private final Map<String, LongAdder> failures = new ConcurrentSkipListMap<>();

    private final Map<String, List<String>> failureSamples = new ConcurrentHashMap<>();

    /** One connection (TCP), exchange (UDP socket) or HTTP request of a scenario kind. */
    void connection(String kind) {
        add(this.connections, kind, 1);
    }

    /**
     * Something checked and found right: bytes echoed, datagrams, chat lines, responses.
     * @param what for example {@code echo bytes}
     */
    void verified(String what, long amount) {
        add(this.verified, what, amount);
    }

    /** An abusive client got the outcome it should. */
    void expected(String outcome) {
        add(this.expected, outcome, 1);
    }

    void failure(String kind, String message) {
        add(this.failures, kind, 1);
        List<String> samples = this.failureSamples.computeIfAbsent(kind, (k) -> new ArrayList<>());
        synchronized (samples) {
            if (samples.size() < SAMPLES_PER_FAILURE) {
                samples.add(message);
            }
        }
    }

    Map<String, Long> connections() {
        return snapshot(this.connections);
    }

    Map<String, Long> verified() {
        return snapshot(this.verified);
    }

    Map<String, Long> expected() {
        return snapshot(this.expected);
    }

    Map<String, Long> failures() {
        return snapshot(this.failures);
    }

    long failureCount() {
        return this.failures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    List<String> failureSamples(String kind) {
        List<String> samples = this.failureSamples.getOrDefault(kind, List.of());
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    private static void add(Map<String, LongAdder> counters, String key, long amount) {
        counters.computeIfAbsent(key, (k) -> new LongAdder()).add(amount);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
        Map<String, Long> copy = new TreeMap<>();
        counters.forEach((key, value) -> copy.put(key, value.sum()));
        return copy;
    }

}
