package io.github.asyncore.boot.actuate.metrics;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import io.github.asyncore.core.ChannelKind;
import io.github.asyncore.core.ChannelListener;
import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.DispatcherTraffic;
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
 * <li>{@code asyncore.channels} (gauge, tags {@code kind}: {@code listener}, {@code connection},
 * {@code client}, {@code datagram}, and {@code dispatcher}): live channels of each kind and dispatcher in
 * all loops together;</li>
 * <li>{@code asyncore.bytes.read}, {@code asyncore.bytes.written} (function counters, bytes);</li>
 * <li>{@code asyncore.connections.accepted}, {@code asyncore.connections.rejected} (function counters:
 * connections accepted by listeners, and accepted connections closed because setting them up
 * failed);</li>
 * <li>{@code asyncore.connections.refused} (function counter: connections closed at once because their
 * listener had max-connections open);</li>
 * <li>{@code asyncore.handler.errors} (function counter: exceptions that reached
 * {@code handleError});</li>
 * <li>{@code asyncore.timeouts} (function counter, tag {@code type}: {@code idle}, {@code connect});</li>
 * <li>{@code asyncore.tls.handshakes}, {@code asyncore.tls.handshake.failures} (function counters: TLS
 * handshakes that finished, and those that failed: refused certificates, timeouts, garbage instead of a
 * handshake, a peer that closed the connection after starting one);</li>
 * <li>{@code asyncore.output.limit.closes} (function counter, tag {@code limit}: {@code hard},
 * {@code soft}, {@code memory}): channels closed because their pending output went over the hard output
 * limit, stayed over the soft one too long, or needed output memory the loop could not lend;</li>
 * <li>{@code asyncore.loop.stalls} (function counter: callbacks that ran past the stall threshold);</li>
 * <li>{@code asyncore.output.memory.used}, {@code asyncore.output.memory.max} (gauges, bytes): output
 * memory lent to the loop's channels now, and the most it lends;</li>
 * <li>{@code asyncore.handler.duration} (function timer: the count and total time of I/O handler
 * calls).</li>
 * </ul>
 * The traffic meters (bytes, connections, handler errors, timeouts, TLS handshakes, output-limit closes)
 * have one series per loop and dispatcher name, tagged {@code loop} with the loop's name ({@code asyncore-0},
 * ...) and {@code dispatcher} with the name the traffic counts under ({@link ChannelMap#traffic()}): the
 * bean name for a dispatcher bean (the starter names each after its bean), for a listener and every
 * connection it accepted alike; a client's own name. A series appears when its name is first counted on its
 * loop, and stays. The tag's values are as few as the names given: no connection id or address, and past
 * {@link ChannelMap#MAX_DISPATCHER_NAMES} names a loop counts further ones under
 * {@link ChannelMap#OTHER_DISPATCHERS}. {@code asyncore.channels} is tagged {@code kind} and
 * {@code dispatcher}; the stalls, output memory and handler duration belong to the loop and are tagged
 * {@code loop} only. The counters are cumulative, so they only ever rise.
 * <p>
 * Each read takes a fresh snapshot (a {@link DispatcherTraffic} or a {@link LoopSnapshot}): a map look-up
 * and a few volatile reads, cheap enough that a scrape of every meter costs microseconds, and exact (no
 * value older than the read). {@code asyncore.channels} counts the live channels at each read.
 * <p>
 * As Micrometer's function meters do, the meters hold the group and its loops weakly: whoever owns the
 * group (the application context) keeps it alive.
 * <p>
 * Threads: {@link #bindTo(MeterRegistry)} and the meters may be used from any thread; they read
 * snapshots only and never touch loop-owned state. The meters of a new dispatcher name are registered on
 * the thread of the loop that counts it, once (from {@link ChannelListener#dispatcherNamed}), never per
 * read or write.
 */
public class AsyncoreMetrics implements MeterBinder {

    /** The tag naming a loop. */
    public static final String LOOP_TAG = "loop";

    /** The tag naming the dispatcher whose traffic a series counts: for a dispatcher bean, the bean name. */
    public static final String DISPATCHER_TAG = "dispatcher";

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
        for (ChannelMap map : this.group.maps()) {
            bindLoop(registry, map.eventLoop());
        }
        for (ChannelMap map : this.group.maps()) {
            // listen first, then register the names counted so far: a name counted in between is registered
            // twice, and Micrometer answers the second time with the meters of the first
            map.addChannelListener(new NewNames(this, registry, map));
            for (DispatcherTraffic traffic : map.traffic()) {
                bindDispatcher(registry, map, traffic.dispatcher());
            }
        }
    }

    private void bindLoop(MeterRegistry registry, EventLoop loop) {
        Tags loopTags = this.tags.and(LOOP_TAG, loop.name());
        FunctionCounter.builder("asyncore.loop.stalls", loop, (l) -> l.snapshot().stalls())
            .description("Handler, task or timer runs that took longer than the stall threshold")
            .baseUnit("stalls")
            .tags(loopTags)
            .register(registry);
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
        Gauge.builder("asyncore.loop.busy", loop, (l) -> l.snapshot().busyFraction())
            .description("Share of wall time the loop spent in handlers, tasks and timers, over the last second"
                    + " or more (between two readings at least a second apart), 0 to 1")
            .tags(loopTags)
            .register(registry);
        FunctionCounter.builder("asyncore.loop.busy.time", loop, (l) -> l.snapshot().busyTime().toNanos() / 1e9)
            .description("Time the loop spent in handlers, tasks and timers")
            .baseUnit("seconds")
            .tags(loopTags)
            .register(registry);
        FunctionCounter.builder("asyncore.loop.iterations", loop, (l) -> l.snapshot().iterations())
            .description("Select iterations the loop completed")
            .tags(loopTags)
            .register(registry);
        FunctionCounter.builder("asyncore.diagnostics", loop, (l) -> l.snapshot().spinningWriters())
            .description("Channels flagged for a dispatcher mistake: writable() true while nothing is written (the"
                    + " loop spins), or readable() false while input waits")
            .tags(loopTags.and("predicate", "writable"))
            .register(registry);
        FunctionCounter.builder("asyncore.diagnostics", loop, (l) -> l.snapshot().stuckReaders())
            .description("Channels flagged for a dispatcher mistake: writable() true while nothing is written (the"
                    + " loop spins), or readable() false while input waits")
            .tags(loopTags.and("predicate", "readable"))
            .register(registry);
        FunctionTimer.builder("asyncore.handler.duration", loop, (l) -> l.snapshot().handlerRuns(),
                (l) -> l.snapshot().handlerTime().toNanos(), TimeUnit.NANOSECONDS)
            .description("Run time of I/O handler calls (one call per ready channel per loop iteration)")
            .tags(loopTags)
            .register(registry);
    }

    /** Registers the series of one dispatcher name on one loop, and its live-channel gauges. Any thread. */
    private void bindDispatcher(MeterRegistry registry, ChannelMap map, String dispatcher) {
        for (ChannelKind kind : ChannelKind.values()) {
            Gauge.builder("asyncore.channels", this.group, (group) -> group.count(kind, dispatcher))
                .description("Live asyncore channels of this kind, in all loops")
                .baseUnit("channels")
                .tags(this.tags)
                .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                .tag(DISPATCHER_TAG, dispatcher)
                .register(registry);
        }
        Tags tags = this.tags.and(LOOP_TAG, map.name()).and(DISPATCHER_TAG, dispatcher);
        Counters counters = new Counters(registry, map, dispatcher, tags);
        counters.add("asyncore.bytes.read", "Bytes read by the loop's channels", BaseUnits.BYTES,
                DispatcherTraffic::bytesRead);
        counters.add("asyncore.bytes.written", "Bytes written by the loop's channels", BaseUnits.BYTES,
                DispatcherTraffic::bytesWritten);
        // no base unit: Prometheus would repeat it (asyncore_connections_accepted_connections_total)
        counters.add("asyncore.connections.accepted", "Connections accepted by the loop's listeners", null,
                DispatcherTraffic::connectionsAccepted);
        counters.add("asyncore.connections.rejected", "Accepted connections closed because setting them up failed",
                null, DispatcherTraffic::connectionsRejected);
        counters.add("asyncore.connections.refused",
                "Connections closed at once because their listener had max-connections open", null,
                DispatcherTraffic::connectionsRefused);
        counters.add("asyncore.handler.errors", "Exceptions from handlers that reached handleError", "errors",
                DispatcherTraffic::handlerErrors);
        // one description for both series: Prometheus shows one per meter name
        String timeouts = "Timeouts that fired: idle (read, write or both) or connect";
        counters.add("asyncore.timeouts", timeouts, "timeouts", Tags.of("type", "idle"),
                DispatcherTraffic::idleTimeouts);
        counters.add("asyncore.timeouts", timeouts, "timeouts", Tags.of("type", "connect"),
                DispatcherTraffic::connectTimeouts);
        counters.add("asyncore.tls.handshakes", "TLS handshakes that finished", null, DispatcherTraffic::tlsHandshakes);
        counters.add("asyncore.tls.handshake.failures",
                "TLS handshakes that failed: refused certificates, timeouts, or no TLS from the peer", null,
                DispatcherTraffic::tlsHandshakeFailures);
        String outputCloses = "Channels closed because their output went past a bound: the hard output limit,"
                + " the soft one for too long, or the output memory";
        counters.add("asyncore.output.limit.closes", outputCloses, null, Tags.of("limit", "hard"),
                DispatcherTraffic::outputHardLimitCloses);
        counters.add("asyncore.output.limit.closes", outputCloses, null, Tags.of("limit", "soft"),
                DispatcherTraffic::outputSoftLimitCloses);
        counters.add("asyncore.output.limit.closes", outputCloses, null, Tags.of("limit", "memory"),
                DispatcherTraffic::outputMemoryCloses);
    }

    /** The function counters of one dispatcher name on one loop, reading its {@link DispatcherTraffic}. */
    private record Counters(MeterRegistry registry, ChannelMap map, String dispatcher, Tags tags) {

        void add(String name, String description, @Nullable String baseUnit, ToLongFunction<DispatcherTraffic> value) {
            add(name, description, baseUnit, Tags.empty(), value);
        }

        void add(String name, String description, @Nullable String baseUnit, Tags extra,
                ToLongFunction<DispatcherTraffic> value) {
            String dispatcher = this.dispatcher;
            FunctionCounter.builder(name, this.map,
                    (map) -> map.traffic(dispatcher).map(value::applyAsLong).orElse(0L))
                .description(description)
                .baseUnit(baseUnit)
                .tags(this.tags.and(extra))
                .register(this.registry);
        }

    }

    /** Registers the meters of each dispatcher name a map begins to count, on that map's loop thread. */
    private record NewNames(AsyncoreMetrics metrics, MeterRegistry registry, ChannelMap map)
            implements ChannelListener {

        @Override
        public void dispatcherNamed(DispatcherTraffic traffic) {
            this.metrics.bindDispatcher(this.registry, this.map, traffic.dispatcher());
        }

    }

}
