package io.github.asyncore.boot.actuate.metrics;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import io.github.asyncore.core.ChannelKind;
import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.EventLoop;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.core.LoopSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters for the loops of an {@link EventLoopGroup}, all named under {@code asyncore.}:
 * <ul>
 * <li>{@code asyncore.channels} (gauge, tag {@code kind}: {@code listener}, {@code connection},
 * {@code client}, {@code datagram}): live channels of each kind in all loops together;</li>
 * <li>{@code asyncore.bytes.read}, {@code asyncore.bytes.written} (function counters, bytes);</li>
 * <li>{@code asyncore.connections.accepted}, {@code asyncore.connections.rejected} (function counters:
 * connections accepted by listeners, and accepted connections closed because setting them up
 * failed);</li>
 * <li>{@code asyncore.handler.errors} (function counter: exceptions that reached
 * {@code handleError});</li>
 * <li>{@code asyncore.timeouts} (function counter, tag {@code type}: {@code idle}, {@code connect});</li>
 * <li>{@code asyncore.loop.stalls} (function counter: callbacks that ran past the stall threshold);</li>
 * <li>{@code asyncore.tls.handshakes}, {@code asyncore.tls.handshake.failures} (function counters: TLS
 * handshakes that finished, and those that failed: refused certificates, timeouts, garbage instead of a
 * handshake, a peer that closed the connection after starting one);</li>
 * <li>{@code asyncore.output.limit.closes} (function counter, tag {@code limit}: {@code hard},
 * {@code soft}, {@code memory}): channels closed because their pending output went over the hard output
 * limit, stayed over the soft one too long, or needed output memory the loop could not lend;</li>
 * <li>{@code asyncore.output.memory.used}, {@code asyncore.output.memory.max} (gauges, bytes): output
 * memory lent to the loop's channels now, and the most it lends;</li>
 * <li>{@code asyncore.handler.duration} (function timer: the count and total time of I/O handler
 * calls).</li>
 * </ul>
 * Every meter but {@code asyncore.channels} has one series per loop, tagged {@code loop} with the loop's
 * name ({@code asyncore-0}, ...). They read {@link LoopSnapshot}'s counters, which are cumulative since
 * the loop was created, so the counters only ever rise.
 * <p>
 * Each read takes a fresh {@link EventLoop#snapshot() loop snapshot}: a few volatile reads, cheap
 * enough that a scrape of every meter costs microseconds, and exact (no value older than the read).
 * <p>
 * As Micrometer's function meters do, the meters hold the group and its loops weakly: whoever owns the
 * group (the application context) keeps it alive.
 * <p>
 * Threads: {@link #bindTo(MeterRegistry)} and the meters may be used from any thread; they read
 * snapshots only and never touch loop-owned state.
 */
public class AsyncoreMetrics implements MeterBinder {

    /** The tag naming a loop. */
    public static final String LOOP_TAG = "loop";

    private final EventLoopGroup group;

    private final Tags tags;

    /**
     * Creates meters for the loops of a group.
     * @param group the loops to measure
     */
    public AsyncoreMetrics(EventLoopGroup group) {
        this(group, Tags.empty());
    }

    /**
     * Creates meters for the loops of a group, with extra tags on every meter.
     * @param group the loops to measure
     * @param tags tags to add to every meter
     */
    public AsyncoreMetrics(EventLoopGroup group, Iterable<Tag> tags) {
        this.group = group;
        this.tags = Tags.of(tags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (ChannelKind kind : ChannelKind.values()) {
            Gauge.builder("asyncore.channels", this.group, (group) -> group.count(kind))
                .description("Live asyncore channels of this kind, in all loops")
                .baseUnit("channels")
                .tags(this.tags)
                .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                .register(registry);
        }
        for (ChannelMap map : this.group.maps()) {
            bindLoop(registry, map.eventLoop());
        }
    }

    private void bindLoop(MeterRegistry registry, EventLoop loop) {
        Tags loopTags = this.tags.and(LOOP_TAG, loop.name());
        counter(registry, loop, "asyncore.bytes.read", "Bytes read by the loop's channels", BaseUnits.BYTES,
                loopTags, LoopSnapshot::bytesRead);
        counter(registry, loop, "asyncore.bytes.written", "Bytes written by the loop's channels", BaseUnits.BYTES,
                loopTags, LoopSnapshot::bytesWritten);
        // no base unit: Prometheus would repeat it (asyncore_connections_accepted_connections_total)
        counter(registry, loop, "asyncore.connections.accepted", "Connections accepted by the loop's listeners",
                null, loopTags, LoopSnapshot::connectionsAccepted);
        counter(registry, loop, "asyncore.connections.rejected",
                "Accepted connections closed because setting them up failed", null, loopTags,
                LoopSnapshot::connectionsRejected);
        counter(registry, loop, "asyncore.connections.refused",
                "Connections closed at once because their listener had max-connections open", null, loopTags,
                LoopSnapshot::connectionsRefused);
        counter(registry, loop, "asyncore.handler.errors", "Exceptions from handlers that reached handleError",
                "errors", loopTags, LoopSnapshot::handlerErrors);
        // one description for both series: Prometheus shows one per meter name
        String timeouts = "Timeouts that fired: idle (read, write or both) or connect";
        counter(registry, loop, "asyncore.timeouts", timeouts, "timeouts", loopTags.and("type", "idle"),
                LoopSnapshot::idleTimeouts);
        counter(registry, loop, "asyncore.timeouts", timeouts, "timeouts", loopTags.and("type", "connect"),
                LoopSnapshot::connectTimeouts);
        counter(registry, loop, "asyncore.loop.stalls",
                "Handler, task or timer runs that took longer than the stall threshold", "stalls", loopTags,
                LoopSnapshot::stalls);
        counter(registry, loop, "asyncore.tls.handshakes", "TLS handshakes that finished", null, loopTags,
                LoopSnapshot::tlsHandshakes);
        counter(registry, loop, "asyncore.tls.handshake.failures",
                "TLS handshakes that failed: refused certificates, timeouts, or no TLS from the peer", null,
                loopTags, LoopSnapshot::tlsHandshakeFailures);
        String outputCloses = "Channels closed because their output went past a bound: the hard output limit,"
                + " the soft one for too long, or the output memory";
        counter(registry, loop, "asyncore.output.limit.closes", outputCloses, null, loopTags.and("limit", "hard"),
                LoopSnapshot::outputHardLimitCloses);
        counter(registry, loop, "asyncore.output.limit.closes", outputCloses, null, loopTags.and("limit", "soft"),
                LoopSnapshot::outputSoftLimitCloses);
        counter(registry, loop, "asyncore.output.limit.closes", outputCloses, null,
                loopTags.and("limit", "memory"), LoopSnapshot::outputMemoryCloses);
        Gauge.builder("asyncore.output.memory.used", loop, (l) -> l.snapshot().outputMemoryUsed())
            .description("Output memory (pooled direct buffers) lent to the loop's channels now")
            .baseUnit(BaseUnits.BYTES)
            .tags(loopTags)
            .register(registry);
        Gauge.builder("asyncore.output.memory.max", loop, (l) -> l.snapshot().maxOutputMemory())
            .description("The most output memory the loop lends its channels at once")
            .baseUnit(BaseUnits.BYTES)
            .tags(loopTags)
            .register(registry);
        FunctionTimer.builder("asyncore.handler.duration", loop, (l) -> l.snapshot().handlerRuns(),
                (l) -> l.snapshot().handlerTime().toNanos(), TimeUnit.NANOSECONDS)
            .description("Run time of I/O handler calls (one call per ready channel per loop iteration)")
            .tags(loopTags)
            .register(registry);
    }

    private static void counter(MeterRegistry registry, EventLoop loop, String name, String description,
            @Nullable String baseUnit, Tags tags, ToLongFunction<LoopSnapshot> value) {
        FunctionCounter.builder(name, loop, (l) -> value.applyAsLong(l.snapshot()))
            .description(description)
            .baseUnit(baseUnit)
            .tags(tags)
            .register(registry);
    }

}
