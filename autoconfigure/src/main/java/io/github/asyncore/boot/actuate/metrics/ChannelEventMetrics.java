package io.github.asyncore.boot.actuate.metrics;

import io.github.asyncore.boot.event.ChannelEventPublisher;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of the channel events' delivery ({@link ChannelEventPublisher}):
 * <ul>
 * <li>{@code asyncore.events.dropped} (function counter): events dropped because the application's
 * listeners fell behind and the queue was full;</li>
 * <li>{@code asyncore.events.queued} (gauge): events waiting for the publishing thread now.</li>
 * </ul>
 * Threads: any; the meters read two counters of the publisher and never touch a loop.
 */
public class ChannelEventMetrics implements MeterBinder {

    private final ChannelEventPublisher publisher;

    /**
     * @param publisher the publisher to measure
     */
    public ChannelEventMetrics(ChannelEventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("asyncore.events.dropped", this.publisher, ChannelEventPublisher::droppedEvents)
            .description("Channel events dropped because the application's listeners fell behind and the queue was full")
            .baseUnit("events")
            .register(registry);
        Gauge.builder("asyncore.events.queued", this.publisher, ChannelEventPublisher::queuedEvents)
            .description("Channel events waiting to be published to the application's listeners")
            .baseUnit("events")
            .register(registry);
    }

}
