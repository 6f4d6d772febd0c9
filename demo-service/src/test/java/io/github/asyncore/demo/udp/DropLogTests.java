package io.github.asyncore.demo.udp;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** At most one line per interval for one reason to drop, and no drop left uncounted. */
class DropLogTests {

    private static final long SECOND = 1_000_000_000L;

    private static final long T0 = 123 * SECOND;

    private static final InetSocketAddress FIRST = new InetSocketAddress("127.0.0.1", 5000);

    private static final InetSocketAddress SECOND_SOURCE = new InetSocketAddress("::1", 6000);

    private final DropLog log = new DropLog(10 * SECOND);

    @Test
    void theFirstDropIsLoggedAtOnceAndTheNextOnesInOneReportAtTheEndOfTheInterval() {
        assertThat(this.log.drop(FIRST, T0)).isEqualTo(1);
        assertThat(this.log.needsReport()).as("nothing held").isFalse();
        assertThat(this.log.drop(FIRST, T0 + SECOND)).isZero();
        assertThat(this.log.needsReport()).isTrue();
        assertThat(this.log.nanosUntilReport(T0 + SECOND)).isEqualTo(9 * SECOND);
        assertThat(this.log.drop(SECOND_SOURCE, T0 + 2 * SECOND)).isZero();
        assertThat(this.log.needsReport()).as("the timer is set already").isFalse();
        assertThat(this.log.report(T0 + 10 * SECOND)).isEqualTo(2);
        assertThat(this.log.latest()).isEqualTo(SECOND_SOURCE);
        assertThat(this.log.drop(FIRST, T0 + 11 * SECOND)).as("the report was a line").isZero();
        assertThat(this.log.needsReport()).isTrue();
        assertThat(this.log.report(T0 + 20 * SECOND)).isEqualTo(1);
        assertThat(this.log.report(T0 + 30 * SECOND)).as("nothing held").isZero();
        assertThat(this.log.drop(FIRST, T0 + 31 * SECOND)).as("quiet for 10 s: at once again").isEqualTo(1);
    }

    @Test
    void aDropAfterTheIntervalTakesWhatIsHeldIfItComesBeforeTheTimer() {
        this.log.drop(FIRST, T0);
        this.log.drop(FIRST, T0 + SECOND);
        this.log.drop(FIRST, T0 + 2 * SECOND);
        assertThat(this.log.drop(SECOND_SOURCE, T0 + 10 * SECOND)).isEqualTo(3);
        assertThat(this.log.report(T0 + 10 * SECOND)).as("the timer finds nothing left").isZero();
    }

}
