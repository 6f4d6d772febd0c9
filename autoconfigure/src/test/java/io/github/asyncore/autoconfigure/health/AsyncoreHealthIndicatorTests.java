package io.github.asyncore.autoconfigure.health;

import io.github.asyncore.boot.actuate.health.AsyncoreHealthIndicator;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.asyncore.core.EventLoop;
import io.github.asyncore.core.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The indicator on real loops, without Spring. */
class AsyncoreHealthIndicatorTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final EventLoopGroup group = new EventLoopGroup("health-test", 2);

    private final AsyncoreHealthIndicator indicator = new AsyncoreHealthIndicator(this.group);

    @AfterEach
    void closeGroup() {
        this.group.close();
    }

    @Test
    void upWithLoopsAndChannelsWhileEveryLoopRuns() {
        this.group.start();
        Health health = this.indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsExactly(Map.entry("loops", 2), Map.entry("channels", 0));
    }

    @Test
    void downNamingEveryLoopThatWasNeverStarted() {
        Health health = this.indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("health-test-0", Map.of("running", false))
            .containsEntry("health-test-1", Map.of("running", false));
    }

    @Test
    void downNamingTheLoopWhoseThreadStopped() {
        this.group.start();
        Instant before = Instant.now();
        this.group.maps().get(1).eventLoop().stop();
        await().atMost(WAIT).until(() -> this.indicator.health().getStatus().equals(Status.DOWN));
        Health health = this.indicator.health();
        assertThat(health.getDetails()).doesNotContainKey("health-test-0").containsEntry("loops", 2);
        @SuppressWarnings("unchecked")
        Map<String, Object> stopped = (Map<String, Object>) health.getDetails().get("health-test-1");
        assertThat(stopped).containsEntry("running", false).containsOnlyKeys("running", "since");
        assertThat((Instant) stopped.get("since")).isBetween(before, Instant.now());
    }

    @Test
    void downWhileALoopIsStalledAndUpAgainOnceItIsFree() throws InterruptedException {
        this.group.start();
        EventLoop loop = this.group.maps().get(0).eventLoop();
        loop.setStallThreshold(Duration.ofMillis(50));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        Instant before = Instant.now();
        try {
            loop.execute(() -> {
                blocking.countDown();
                awaitQuietly(release);
            });
            assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(WAIT).until(() -> this.indicator.health().getStatus().equals(Status.DOWN));
            Health health = this.indicator.health();
            assertThat(health.getDetails()).doesNotContainKey("health-test-1");
            @SuppressWarnings("unchecked")
            Map<String, Object> stalled = (Map<String, Object>) health.getDetails().get("health-test-0");
            assertThat(stalled).containsEntry("running", true)
                .containsEntry("thread", "health-test-0")
                .containsEntry("stallThreshold", "PT0.05S");
            assertThat(Duration.parse((String) stalled.get("stalledFor"))).isGreaterThan(Duration.ofMillis(50));
            assertThat(Instant.parse((String) stalled.get("since"))).isBetween(before.minusMillis(1), Instant.now());
        }
        finally {
            release.countDown();
        }
        await().atMost(WAIT).until(() -> this.indicator.health().getStatus().equals(Status.UP));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
