package io.github.asyncore.autoconfigure;

import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.EventLoopGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** {@code asyncore.enabled=false}: said once, and a dispatcher bean's socket calls fail saying why. */
@ExtendWith(OutputCaptureExtension.class)
class AsyncoreDisabledIntegrationTests {

    @Test
    void switchedOffSaysWhatIsOffAndSocketCallsFailWithTheReason(CapturedOutput output) {
        try (ConfigurableApplicationContext context = DispatcherNamesIntegrationTests.run(
                DispatcherNamesIntegrationTests.KeyValueApplication.class,
                Map.of("asyncore.enabled", "false", "asyncore.dispatchers.kvServer.address", "127.0.0.1:0"), Map.of())) {
            assertThat(context.getBeansOfType(EventLoopGroup.class)).isEmpty();
            assertThat(output).containsOnlyOnce("asyncore is switched off (asyncore.enabled=false)")
                .contains("the Dispatcher beans kvServer, counter are left alone, and their socket calls fail");
            Dispatcher kvServer = context.getBean("kvServer", Dispatcher.class);
            assertThatIllegalStateException().isThrownBy(kvServer::createSocket)
                .withMessageContaining("cannot join asyncore-default: asyncore is switched off (asyncore.enabled=false),"
                        + " so no event loop runs");
            assertThatExceptionOfType(RejectedExecutionException.class)
                .isThrownBy(() -> kvServer.executor().execute(() -> { }))
                .withMessageContaining("asyncore is switched off (asyncore.enabled=false)");
        }
        Dispatcher after = new Dispatcher() { };
        assertThat(after.map()).isSameAs(ChannelMap.defaultMap());
        after.executor().execute(() -> { }); // the default map takes work again once the context is closed
    }

}
