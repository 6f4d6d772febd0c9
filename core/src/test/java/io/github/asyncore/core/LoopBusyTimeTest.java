package io.github.asyncore.core;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The loop's busy time and busy fraction ({@link LoopSnapshot#busyTime()}, {@link LoopSnapshot#busyFraction()}):
 * a task that keeps the loop busy shows in both; an idle loop's fraction falls back near zero.
 */
class LoopBusyTimeTest {

    private final LoopFixture fixture = LoopFixture.started("busy");

    @AfterEach
    void close() {
        this.fixture.close();
    }

    @Test
    void aBusyLoopShowsInItsBusyTimeAndFractionAndAnIdleOneDoesNot() {
        Duration before = this.fixture.loop.snapshot().busyTime();
        this.fixture.runOnLoop(() -> {
            long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        });
        assertThat(this.fixture.loop.snapshot().busyTime().minus(before)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.loop.snapshot().busyFraction() > 0.5);
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.loop.snapshot().busyFraction() < 0.1);
    }

}
