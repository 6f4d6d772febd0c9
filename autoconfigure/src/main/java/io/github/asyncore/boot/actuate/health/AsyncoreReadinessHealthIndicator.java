package io.github.asyncore.boot.actuate.health;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.asyncore.core.ChannelKind;
import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.core.LoopSnapshot;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * {@link HealthIndicator} of saturation, for the {@code readiness} group: {@code OUT_OF_SERVICE} while a
 * listener has its {@code max-connections} open (it closes every new connection at once, so traffic is
 * better sent to another instance), or while a loop's {@linkplain LoopSnapshot#busyFraction() busy
 * fraction} has stayed above a threshold for a duration; {@code UP} again as soon as neither holds. It is
 * not a liveness matter: a saturated service is alive and serves what it holds.
 * <p>
 * The details give each listener's open connections against its limit and each loop's busy fraction; when
 * {@code OUT_OF_SERVICE}, {@code reasons} says which listener or loop, in words.
 * <p>
 * Threads: {@link #health()} may be called from any thread. The busy fraction is read at each check, so
 * "stayed above for the duration" is judged at the pace of the checks (the probes'): a loop counts as
 * busy since the first check that found it above the threshold, until a check finds it below.
 */
public class AsyncoreReadinessHealthIndicator extends AbstractHealthIndicator {

    private final EventLoopGroup group;

    private final double busyThreshold;

    private final Duration busyDuration;

    /** Since when each loop has been found busy, by name; a loop found idle is removed. */
    private final Map<String, Instant> busySince = new ConcurrentHashMap<>();

    /**
     * @param group the loops and listeners to watch
     * @param busyThreshold the busy fraction (0 to 1) above which a loop counts as busy
     * @param busyDuration how long a loop must stay busy to make the service not ready
     */
    public AsyncoreReadinessHealthIndicator(EventLoopGroup group, double busyThreshold, Duration busyDuration) {
        super("asyncore readiness check failed");
        this.group = group;
        this.busyThreshold = busyThreshold;
        this.busyDuration = busyDuration;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, Object> listeners = new LinkedHashMap<>();
        Map<String, Object> loops = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        for (Dispatcher listener : this.group.channels(ChannelKind.LISTENER)) {
            checkListener(listener, listeners, reasons);
        }
        Instant now = Instant.now();
        for (LoopSnapshot loop : this.group.loopSnapshots()) {
            double busy = loop.busyFraction();
            loops.put(loop.name(), Map.of("busyFraction", Math.round(busy * 1000) / 1000.0));
            if (busy <= this.busyThreshold) {
                this.busySince.remove(loop.name());
                continue;
            }
            Instant since = this.busySince.computeIfAbsent(loop.name(), (name) -> now);
            if (!since.plus(this.busyDuration).isAfter(now)) {
                reasons.put(loop.name(), "busy " + Math.round(busy * 100) + "% of the time since " + since
                        + ", over the threshold of " + Math.round(this.busyThreshold * 100) + "%");
            }
        }
        builder.status(reasons.isEmpty() ? Status.UP : Status.OUT_OF_SERVICE)
            .withDetail("listeners", listeners)
            .withDetail("loops", loops);
        if (!reasons.isEmpty()) {
            builder.withDetail("reasons", reasons);
        }
    }

    private static void checkListener(Dispatcher listener, Map<String, Object> listeners, Map<String, String> reasons) {
        int max = listener.getSettings().maxConnections();
        int open = listener.openConnections();
        listeners.put(listener.getName(), Map.of("openConnections", open, "maxConnections", max));
        if (max > 0 && open >= max) {
            reasons.put(listener.getName(), open + " connections open, its max-connections");
        }
    }

}
