package io.github.asyncore.demo.udp;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the UDP echo, under {@code demo.udp}: what keeps it from being a reflector. UDP source
 * addresses are easy to forge, so without them anyone could aim the echo at a third party (the answers go
 * to the forged address) or at another echo service (the two would answer each other forever).
 *
 * @param maxDatagramsPerSecond datagrams answered per second for one source IP address, on average; the
 *        others are dropped without an answer (at least 1)
 * @param burst datagrams one source IP address may send at once before {@code max-datagrams-per-second}
 *        applies: the size of its token bucket (at least 1)
 * @param maxSources source IP addresses whose buckets are kept at once; when that many were all seen
 *        within the time a bucket takes to refill, new sources share one bucket of the same rate and burst
 *        (at least 1)
 * @param minSourcePort datagrams from a lower source port are dropped: ports below 1024 are where the
 *        system's echo (7), daytime (13), chargen (19) and other services live (0 to 65535; 0 drops none)
 * @param blockedSourcePorts datagrams from these source ports are dropped as well; by default echo (7),
 *        chargen (19) and the demo's own UDP echo port (7009), so that two demos cannot be made to echo at
 *        each other. The port the server is bound to is always dropped
 */
@ConfigurationProperties("demo.udp")
public record UdpProperties(@DefaultValue("100") int maxDatagramsPerSecond, @DefaultValue("200") int burst,
        @DefaultValue("10000") int maxSources, @DefaultValue("1024") int minSourcePort,
        @DefaultValue({ "7", "19", "7009" }) Set<Integer> blockedSourcePorts) {

    public UdpProperties {
        check(maxDatagramsPerSecond >= 1, "max-datagrams-per-second must be at least 1, not " + maxDatagramsPerSecond);
        check(burst >= 1, "burst must be at least 1, not " + burst);
        check(maxSources >= 1, "max-sources must be at least 1, not " + maxSources);
        check(minSourcePort >= 0 && minSourcePort <= 65535,
                "min-source-port must be from 0 to 65535, not " + minSourcePort);
        blockedSourcePorts = Collections.unmodifiableSortedSet(
                (blockedSourcePorts != null) ? new TreeSet<>(blockedSourcePorts) : new TreeSet<>());
    }

    private static void check(boolean valid, String message) {
        if (!valid) {
            throw new IllegalArgumentException("demo.udp." + message);
        }
    }

}
