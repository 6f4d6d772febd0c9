package io.github.asyncore.boot.actuate.health;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.core.LoopSnapshot;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@link HealthIndicator} for asyncore's event loops: {@code UP} while every loop of the
 * {@link EventLoopGroup} runs on its thread and none is stalled, that is, none has been running one
 * handler, task or timer for longer than its stall threshold ({@code asyncore.loop.stall-threshold});
 * {@code DOWN} otherwise.
 * <p>
 * The details always give {@code loops} (how many) and {@code channels} (live channels in all of them).
 * When {@code DOWN}, each unhealthy loop adds an entry under its name, for example
 * <pre>
 * "asyncore-0": {"running": false, "since": "2025-01-01T10:00:00.123Z",
 *                "failure": "java.lang.OutOfMemoryError: Java heap space"}
 * "asyncore-1": {"running": true, "thread": "asyncore-1", "stalledFor": "PT1.204S",
 *                "since": "2025-01-01T10:00:00.123Z", "stallThreshold": "PT0.2S"}
 * </pre>
 * {@code failure} appears only when the loop thread ended with an error; a loop stopped on purpose has
 * none. {@code since} is when the loop stopped, or when the callback that stalls it started.
 * <p>
 * Threads: {@link #health()} may be called from any thread; it reads
 * {@linkplain EventLoopGroup#loopSnapshots() loop snapshots} only and never touches loop-owned state.
 */
public class AsyncoreHealthIndicator extends AbstractHealthIndicator {

    private final EventLoopGroup group;

    /**
     * Creates an indicator for the loops of a group.
     * @param group the loops to watch
     */
    public AsyncoreHealthIndicator(EventLoopGroup group) {
        super("asyncore health check failed");
        this.group = group;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        List<LoopSnapshot> loops = this.group.loopSnapshots();
        Instant now = Instant.now();
        int channels = 0;
        Map<String, Object> unhealthy = new LinkedHashMap<>();
        for (LoopSnapshot loop : loops) {
            channels += loop.channels();
            if (!loop.running()) {
                unhealthy.put(loop.name(), notRunning(loop));
            }
            else if (loop.stalled()) {
                unhealthy.put(loop.name(), stalled(loop, now));
            }
        }
        if (unhealthy.isEmpty()) {
            builder.up();
        }
        else {
            builder.down();
        }
        builder.withDetail("loops", loops.size()).withDetail("channels", channels).withDetails(unhealthy);
    }

    private static Map<String, Object> notRunning(LoopSnapshot loop) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("running", false);
        if (loop.stoppedAt() != null) {
            details.put("since", loop.stoppedAt());
        }
        Throwable failure = loop.failure();
        if (failure != null) {
            details.put("failure", failure.toString());
        }
        return details;
    }

    private static Map<String, Object> stalled(LoopSnapshot loop, Instant now) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("running", true);
        if (loop.thread() != null) {
            details.put("thread", loop.thread());
        }
        details.put("stalledFor", loop.busyFor().toString());
        details.put("since", now.minus(loop.busyFor()).toString());
        details.put("stallThreshold", loop.stallThreshold().toString());
        return details;
    }

}
