package io.github.asyncore.demo.udp;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which source ports the UDP echo answers, with the default settings and a server bound to 40000. */
class SourcePortRulesTests {

    private static final int OWN_PORT = 40_000;

    private final SourcePortRules rules = new SourcePortRules(1024, Set.of(7, 19, 7009));

    @ParameterizedTest(name = "from port {0}: {1}")
    @CsvSource(textBlock = """
            0,     LOW_PORT
            7,     BLOCKED_PORT
            13,    LOW_PORT
            19,    BLOCKED_PORT
            1023,  LOW_PORT
            7009,  BLOCKED_PORT
            40000, OWN_PORT
            """)
    void dropped(int sourcePort, DropReason reason) {
        assertThat(this.rules.check(sourcePort, OWN_PORT)).isEqualTo(reason);
    }

    @ParameterizedTest(name = "from port {0}")
    @CsvSource({ "1024", "7008", "7010", "39999", "50000", "65535" })
    void answered(int sourcePort) {
        assertThat(this.rules.check(sourcePort, OWN_PORT)).isNull();
    }

    @ParameterizedTest(name = "from port {0}")
    @CsvSource({ "7", "1023", "7009" })
    void withoutAMinimumOrBlockedPortsOnlyTheOwnPortIsDropped(int sourcePort) {
        SourcePortRules open = new SourcePortRules(0, Set.of());
        assertThat(open.check(sourcePort, OWN_PORT)).isNull();
        assertThat(open.check(OWN_PORT, OWN_PORT)).isEqualTo(DropReason.OWN_PORT);
    }

}
