package io.github.asyncore.demo.udp;

import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** Binding of {@code demo.udp}: its defaults, and a value out of range failing start-up with its name. */
class UdpPropertiesTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withUserConfiguration(Config.class);

    @Test
    void defaultsAreThoseOfTheDemosApplicationYml() {
        this.contextRunner.run((context) -> assertThat(context.getBean(UdpProperties.class))
            .isEqualTo(new UdpProperties(100, 200, 10_000, 1024, Set.of(7, 19, 7009))));
    }

    @Test
    void blockedSourcePortsBindFromACommaSeparatedListInOrder() {
        this.contextRunner.withPropertyValues("demo.udp.blocked-source-ports=7009,7,40000")
            .run((context) -> assertThat(context.getBean(UdpProperties.class).blockedSourcePorts())
                .containsExactly(7, 7009, 40000));
    }

    @Test
    void aRateBelowOneFailsStartUpNamingTheSetting() {
        this.contextRunner.withPropertyValues("demo.udp.max-datagrams-per-second=0")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .hasMessage("demo.udp.max-datagrams-per-second must be at least 1, not 0"));
    }

    @Test
    void aMinimumSourcePortPastTheLastPortFailsStartUp() {
        this.contextRunner.withPropertyValues("demo.udp.min-source-port=65536")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .hasMessageContaining("demo.udp.min-source-port must be from 0 to 65535"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(UdpProperties.class)
    static class Config {

    }

}
