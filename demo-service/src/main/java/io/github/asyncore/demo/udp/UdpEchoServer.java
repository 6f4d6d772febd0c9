package io.github.asyncore.demo.udp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import io.github.asyncore.core.Dispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * UDP echo: each datagram goes back to its sender. Bound where
 * {@code asyncore.dispatchers.udpEchoServer.address} says (7009, {@code type: datagram}).
 * <p>
 * A UDP sender can forge its source address, so an echo that answers everything is a reflector: it
 * hides an attacker behind the server, and two echoes made to answer each other never stop. This one
 * drops, without an answer, datagrams
 * <ul>
 * <li>from the port it is bound to, from the ports in {@code demo.udp.blocked-source-ports} (echo 7,
 * chargen 19, the demo's 7009), and from ports below {@code demo.udp.min-source-port} (1024): where other
 * echo-like services live ({@link SourcePortRules});</li>
 * <li>from a source IP address that sends more than {@code demo.udp.burst} (200) at once and more than
 * {@code demo.udp.max-datagrams-per-second} (100) on average, tracking at most
 * {@code demo.udp.max-sources} (10,000) addresses ({@link SourceRateLimiter});</li>
 * <li>longer than the bean's {@code receive-buffer-size}, rather than echo them cut short.</li>
 * </ul>
 * Each reason is logged at once, then at most every 10 s with how many more were dropped and the latest
 * source ({@link DropLog}); drops not logged yet are logged when the server closes.
 */
@Component
public class UdpEchoServer extends Dispatcher {

    private static final Logger logger = LoggerFactory.getLogger(UdpEchoServer.class);

    private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private final UdpProperties properties;

    private final SourcePortRules portRules;

    private final SourceRateLimiter rateLimiter;

    private final Map<DropReason, DropLog> dropLogs = new EnumMap<>(DropReason.class);

    private ByteBuffer datagram;

    public UdpEchoServer(UdpProperties properties) {
        this.properties = properties;
        this.portRules = new SourcePortRules(properties.minSourcePort(), properties.blockedSourcePorts());
        this.rateLimiter = new SourceRateLimiter(properties.maxDatagramsPerSecond(), properties.burst(),
                properties.maxSources());
        for (DropReason reason : DropReason.values()) {
            this.dropLogs.put(reason, new DropLog(LOG_INTERVAL.toNanos()));
        }
    }

    @Override
    public boolean writable() {
        return false;
    }

    @Override
    public void handleRead() throws IOException {
        int limit = getSettings().receiveBufferSize();
        if (this.datagram == null || this.datagram.capacity() != limit + 1) {
            this.datagram = ByteBuffer.allocate(limit + 1); // one byte more tells a datagram that did not fit
        }
        this.datagram.clear();
        SocketAddress sender = receiveFrom(this.datagram);
        if (sender == null) {
            return;
        }
        InetSocketAddress source = (InetSocketAddress) sender;
        long now = System.nanoTime();
        DropReason drop = this.portRules.check(source.getPort(), ((InetSocketAddress) getLocalAddress()).getPort());
        if (drop == null) {
            drop = this.rateLimiter.acquire(source.getAddress(), now);
        }
        if (drop == null && this.datagram.position() > limit) {
            drop = DropReason.OVERSIZED;
        }
        if (drop != null) {
            dropped(drop, source, now);
            return;
        }
        sendTo(this.datagram.flip(), sender);
    }

    /** Logs the drops still held for a line at the end of their interval, then closes. */
    @Override
    public void close() {
        if (!isClosed() && executor().inEventLoop()) {
            this.dropLogs.forEach(this::reportHeld);
        }
        super.close(); // from another thread, it hands the close, and this method, to the loop
    }

    /** Logs the drop now, or holds it for one line at the end of the interval. Loop thread. */
    private void dropped(DropReason reason, SocketAddress source, long now) {
        DropLog log = this.dropLogs.get(reason);
        long count = log.drop(source, now);
        if (count == 1) {
            logger.warn("{}: dropped a datagram from {} {} (logged at most every 10 s)", this, format(source),
                    describe(reason));
        }
        else if (count > 1) {
            logHeld(reason, count, source);
        }
        else if (log.needsReport()) {
            executor().schedule(Duration.ofNanos(log.nanosUntilReport(now)), () -> reportHeld(reason, log));
        }
    }

    /** Logs the drops held since the last line, if any. Loop thread. */
    private void reportHeld(DropReason reason, DropLog log) {
        long held = log.report(System.nanoTime());
        if (held > 0) {
            logHeld(reason, held, log.latest());
        }
    }

    private void logHeld(DropReason reason, long count, SocketAddress latest) {
        logger.warn("{}: dropped {} more {} {}, the latest from {} (logged at most every 10 s)", this, count,
                (count == 1) ? "datagram" : "datagrams", describe(reason), format(latest));
    }

    /** @return the reason, to follow "dropped a datagram" */
    private String describe(DropReason reason) {
        UdpProperties limits = this.properties;
        return switch (reason) {
            case OWN_PORT -> "whose source port is this server's own";
            case BLOCKED_PORT -> "whose source port is in blocked-source-ports " + limits.blockedSourcePorts();
            case LOW_PORT -> "whose source port is below min-source-port (" + limits.minSourcePort() + ")";
            case RATE_LIMITED -> "over its source's rate limit (" + limits.maxDatagramsPerSecond() + " per second, burst "
                    + limits.burst() + ")";
            case SHARED_RATE_LIMITED -> "over the rate limit shared by new sources while max-sources ("
                    + limits.maxSources() + ") recent ones are tracked";
            case OVERSIZED -> "longer than receive-buffer-size (" + getSettings().receiveBufferSize() + " bytes)";
        };
    }

}
