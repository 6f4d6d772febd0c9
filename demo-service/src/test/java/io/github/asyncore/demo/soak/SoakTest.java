package io.github.asyncore.demo.soak;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak as a test: tagged {@code soak}, so that the normal build leaves it out and
 * {@code ./mvnw -B -pl demo-service -am verify -Psoak -Dsoak.duration=10m} runs it alone. Its settings are
 * the {@code soak.*} system properties of {@link SoakConfig}; the profile passes the demo's runtime
 * classpath. Bounded: the driver stops its clients at the duration and waits for each of them at most
 * its scenario's timeout.
 */
@Tag("soak")
class SoakTest {

    @Test
    void theDemoLosesNothingAndDoesNotGrowUnderAMixOfClients() throws Exception {
        SoakReport report = SoakDriver.run(SoakConfig.fromSystemProperties());
        assertThat(report.problems()).as("the soak's problems (its summary is printed above and in target/soak/summary.txt)")
            .isEmpty();
    }

}
