package io.github.asyncore.demo.echo;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code demo.tls-echo.enabled}: the TLS echo bean exists unless it is switched off, and the jar's own
 * {@code application.yml} (the quick start) keeps it on. That no listener is opened when it is off, and
 * that the chart switches it off without a certificate, is {@code HelmChartApplicationTests}' part.
 */
class TlsEchoSwitchTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(TlsEchoServer.class);

    @Test
    void theTlsEchoIsOnWhenNothingSaysOtherwise() {
        this.runner.run((context) -> assertThat(context).hasSingleBean(TlsEchoServer.class));
    }

    @Test
    void theTlsEchoIsAbsentWhenSwitchedOff() {
        this.runner.withPropertyValues("demo.tls-echo.enabled=false")
                .run((context) -> assertThat(context).doesNotHaveBean(TlsEchoServer.class));
    }

    @Test
    void theQuickStartsApplicationYmlKeepsTheTlsEchoOn() {
        this.runner.withInitializer(new ConfigDataApplicationContextInitializer()).run((context) -> {
            assertThat(context.getEnvironment().getProperty("demo.tls-echo.enabled")).isEqualTo("true");
            assertThat(context.getEnvironment().getProperty("asyncore.dispatchers.tlsEchoServer.ssl.bundle"))
                    .isEqualTo("demo-tls");
            assertThat(context).hasSingleBean(TlsEchoServer.class);
        });
    }

}
