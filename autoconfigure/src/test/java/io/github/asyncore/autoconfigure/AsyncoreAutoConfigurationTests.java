package io.github.asyncore.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.ChannelSettings;
import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.EventLoop;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.core.OutputLimit;
import io.github.asyncore.core.WriteBufferWaterMark;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/** {@link AsyncoreAutoConfiguration}: its beans, their back-off, and the validation of every property. */
class AsyncoreAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncoreAutoConfiguration.class));

    @Test
    void createsTheMapTheLoopTheGroupAndTheLifecycle() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(ChannelMap.class)
                .hasSingleBean(EventLoop.class)
                .hasSingleBean(EventLoopGroup.class)
                .hasSingleBean(AsyncoreLifecycle.class);
            ChannelMap map = context.getBean(ChannelMap.class);
            assertThat(context.getBean(EventLoop.class)).isSameAs(map.eventLoop());
            assertThat(context.getBean(EventLoopGroup.class).acceptor()).isSameAs(map);
            assertThat(map.name()).isEqualTo("asyncore-0");
            assertThat(map.eventLoop().isRunning()).as("started with the context").isTrue();
        });
    }

    @Test
    void cannotStartAgainAfterItStoppedAndSaysWhy() {
        this.contextRunner.run((context) -> {
            AsyncoreLifecycle lifecycle = context.getBean(AsyncoreLifecycle.class);
            assertThat(lifecycle.isPauseable()).isFalse();
            lifecycle.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> !context.getBean(EventLoopGroup.class).isRunning());
            assertThatIllegalStateException().isThrownBy(lifecycle::start)
                .withMessageContaining("cannot start again after it stopped");
        });
    }

    @Test
    void backsOffEntirelyWhenDisabled() {
        this.contextRunner.withPropertyValues("asyncore.enabled=false").run((context) -> assertThat(context)
            .doesNotHaveBean(ChannelMap.class)
            .doesNotHaveBean(EventLoopGroup.class)
            .doesNotHaveBean(AsyncoreLifecycle.class)
            .doesNotHaveBean(AsyncoreProperties.class));
    }

    @Test
    void usesAChannelMapTheApplicationDefines() {
        this.contextRunner.withUserConfiguration(UserMapConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(ChannelMap.class);
            ChannelMap map = context.getBean(ChannelMap.class);
            assertThat(map.name()).isEqualTo("mine");
            assertThat(context.getBean(EventLoopGroup.class).acceptor()).isSameAs(map);
            assertThat(context.getBean(EventLoop.class)).isSameAs(map.eventLoop());
        });
    }

    @Test
    void usesAnEventLoopGroupTheApplicationDefines() {
        this.contextRunner.withUserConfiguration(UserGroupConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(EventLoopGroup.class);
            assertThat(context.getBean(EventLoopGroup.class).acceptor().name()).isEqualTo("own-0");
            assertThat(context.getBean(EventLoopGroup.class).isRunning()).isTrue();
        });
    }

    @Test
    void startsOneNamedThreadPerLoop() {
        this.contextRunner.withPropertyValues("asyncore.loop.threads=3").run((context) -> {
            EventLoopGroup group = context.getBean(EventLoopGroup.class);
            assertThat(group.loopSnapshots()).extracting((loop) -> loop.thread())
                .containsExactly("asyncore-0", "asyncore-1", "asyncore-2");
        });
    }

    @Test
    void appliesLoopSettingsToEveryLoop() {
        this.contextRunner
            .withPropertyValues("asyncore.loop.threads=2", "asyncore.loop.stall-threshold=250ms",
                    "asyncore.loop.select-timeout=2s")
            .run((context) -> assertThat(context.getBean(EventLoopGroup.class).maps()).allSatisfy((map) -> {
                assertThat(map.eventLoop().getStallThreshold()).isEqualTo(Duration.ofMillis(250));
                assertThat(map.eventLoop().getSelectTimeout()).isEqualTo(Duration.ofSeconds(2));
            }));
    }

    @Test
    void resolvesChannelSettingsFromDefaultsAndPerBeanOverrides() {
        this.contextRunner.withUserConfiguration(ChatEchoAndBulkConfiguration.class)
            .withPropertyValues("asyncore.channel.idle-timeout=5s", "asyncore.channel.max-frame-size=1KB",
                    "asyncore.dispatchers.chat.idle-timeout=2s", "asyncore.dispatchers.chat.write-buffer-high-water-mark=128KB")
            .run((context) -> {
                AsyncoreProperties properties = context.getBean(AsyncoreProperties.class);
                ChannelSettings chat = DispatcherSettings.of(properties, "chat");
                assertThat(chat.idleTimeout()).isEqualTo(Duration.ofSeconds(2));
                assertThat(chat.maxFrameSize()).as("inherited").isEqualTo(1024);
                assertThat(chat.writeBufferWaterMark()).isEqualTo(new WriteBufferWaterMark(32 * 1024, 128 * 1024));
                ChannelSettings other = DispatcherSettings.of(properties, "echo");
                assertThat(other.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
                assertThat(other.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
            });
    }

    @Test
    void registersDispatcherBeansInOrderWithTheirNamesAndSettings() {
        this.contextRunner.withUserConfiguration(OrderedDispatchersConfiguration.class)
            .withPropertyValues("asyncore.dispatchers.second.idle-timeout=3s")
            .run((context) -> {
                assertThat(OrderedDispatchersConfiguration.registered).containsExactly("first", "second", "unordered");
                RecordingSettings second = context.getBean("second", RecordingSettings.class);
                assertThat(second.getName()).isEqualTo("second");
                assertThat(second.getSettings().idleTimeout()).isEqualTo(Duration.ofSeconds(3));
                assertThat(second.map()).as("joins the loop that registered it")
                    .isSameAs(context.getBean(ChannelMap.class));
                assertThat(context.getBean("unordered", RecordingSettings.class).getSettings().idleTimeout())
                    .isEqualTo(Duration.ZERO);
            });
    }

    @Test
    void zeroThreadsFailsNamingTheProperty() {
        assertInvalid("asyncore.loop.threads=0", "asyncore.loop.threads", "must be at least 1");
    }

    @Test
    void aNegativeDurationFailsNamingTheProperty() {
        assertInvalid("asyncore.channel.idle-timeout=-1s", "asyncore.channel.idle-timeout", "must not be negative");
        assertInvalid("asyncore.shutdown.timeout=-5s", "asyncore.shutdown.timeout", "must not be negative");
        assertInvalid("asyncore.dispatchers.echo.connect-timeout=-1ms", "asyncore.dispatchers.echo.connect-timeout",
                "must not be negative");
    }

    @Test
    void aZeroStallThresholdOrSelectTimeoutFailsNamingTheProperty() {
        assertInvalid("asyncore.loop.stall-threshold=0s", "asyncore.loop.stall-threshold", "must be positive");
        assertInvalid("asyncore.loop.select-timeout=0s", "asyncore.loop.select-timeout", "must be positive");
    }

    @Test
    void aLowWaterMarkAboveTheHighOneFailsNamingTheProperty() {
        assertInvalid("asyncore.channel.write-buffer-low-water-mark=128KB",
                "asyncore.channel.write-buffer-low-water-mark", "must not be above the write buffer high water mark");
        assertInvalid("asyncore.dispatchers.echo.write-buffer-high-water-mark=16KB",
                "asyncore.dispatchers.echo.write-buffer-high-water-mark", "above the high water mark");
    }

    @Test
    void anEmptyBufferSizeFailsNamingTheProperty() {
        assertInvalid("asyncore.channel.max-frame-size=0B", "asyncore.channel.max-frame-size", "must be at least 1 byte");
        assertInvalid("asyncore.channel.receive-buffer-size=0B", "asyncore.channel.receive-buffer-size",
                "must be at least 1 byte");
    }

    @Test
    void aMalformedAddressFailsNamingTheProperty() {
        assertInvalid("asyncore.dispatchers.echo.address=localhost", "asyncore.dispatchers.echo.address",
                "expected 'port', 'host:port', '[ipv6]:port' or 'unix:/path'");
        assertInvalid("asyncore.dispatchers.echo.address=127.0.0.1:70000", "asyncore.dispatchers.echo.address",
                "no port from 0 to 65535");
        assertInvalid("asyncore.dispatchers.echo.address=::1:7007", "asyncore.dispatchers.echo.address",
                "write an IPv6 address in brackets");
    }

    @Test
    void aNegativeConnectionLimitFailsNamingTheProperty() {
        assertInvalid("asyncore.channel.max-connections=-1", "asyncore.channel.max-connections",
                "must be 0 (no limit) or more");
    }

    @Test
    void resolvesTheConnectionLimitGloballyAndPerListener() {
        this.contextRunner.withUserConfiguration(ChatEchoAndBulkConfiguration.class)
            .withPropertyValues("asyncore.channel.max-connections=100", "asyncore.dispatchers.chat.max-connections=5")
            .run((context) -> {
                AsyncoreProperties properties = context.getBean(AsyncoreProperties.class);
                assertThat(DispatcherSettings.of(properties, "chat").maxConnections()).isEqualTo(5);
                assertThat(DispatcherSettings.of(properties, "echo").maxConnections()).isEqualTo(100);
            });
    }

    @Test
    void resolvesTheOutputLimitsGloballyAndPerBean() {
        this.contextRunner.withUserConfiguration(ChatEchoAndBulkConfiguration.class)
            .withPropertyValues("asyncore.channel.output-hard-limit=8MB", "asyncore.channel.output-soft-limit-duration=30s",
                    "asyncore.dispatchers.chat.output-soft-limit=256KB", "asyncore.dispatchers.bulk.output-hard-limit=0",
                    "asyncore.dispatchers.bulk.output-soft-limit=0")
            .run((context) -> {
                AsyncoreProperties properties = context.getBean(AsyncoreProperties.class);
                assertThat(DispatcherSettings.of(properties, "echo").outputLimit())
                    .isEqualTo(new OutputLimit(8 * 1024 * 1024, 1024 * 1024, Duration.ofSeconds(30)));
                assertThat(DispatcherSettings.of(properties, "chat").outputLimit())
                    .isEqualTo(new OutputLimit(8 * 1024 * 1024, 256 * 1024, Duration.ofSeconds(30)));
                assertThat(DispatcherSettings.of(properties, "bulk").outputLimit()).isEqualTo(new OutputLimit(0, 0, Duration.ofSeconds(30)));
            });
    }

    @Test
    void theOutputLimitsDefaultToFourAndOneMegabytesForTenSeconds() {
        this.contextRunner.run((context) -> assertThat(
                DispatcherSettings.of(context.getBean(AsyncoreProperties.class), "any").outputLimit())
            .isEqualTo(OutputLimit.DEFAULT));
    }

    @Test
    void appliesTheOutputMemoryCeilingToEveryLoop() {
        this.contextRunner.withPropertyValues("asyncore.loop.threads=2", "asyncore.loop.max-output-memory=16MB")
            .run((context) -> assertThat(context.getBean(EventLoopGroup.class).maps())
                .allSatisfy((map) -> assertThat(map.getMaxOutputMemory()).isEqualTo(16 * 1024 * 1024)));
    }

    @Test
    void outputLimitsThatContradictFailNamingTheProperty() {
        assertInvalid("asyncore.channel.output-soft-limit=8MB", "asyncore.channel.output-soft-limit",
                "above the output hard limit");
        assertInvalid("asyncore.dispatchers.chat.output-hard-limit=512KB", "asyncore.dispatchers.chat.output-hard-limit",
                "leaves the output soft limit (1048576 bytes) above the output hard limit (524288 bytes)");
        assertInvalid("asyncore.channel.output-hard-limit=-1MB", "asyncore.channel.output-hard-limit",
                "must not be negative");
        assertInvalid("asyncore.loop.max-output-memory=1KB", "asyncore.loop.max-output-memory",
                "must be at least 16KB");
    }

    @Test
    void anEventQueueCapacityBelowOneFailsNamingTheProperty() {
        assertInvalid("asyncore.events.queue-capacity=0", "asyncore.events.queue-capacity", "must be at least 1");
    }

    @Test
    void aZeroBacklogFailsNamingTheProperty() {
        assertInvalid("asyncore.dispatchers.echo.backlog=0", "asyncore.dispatchers.echo.backlog", "must be at least 1");
    }

    private void assertInvalid(String property, String name, String reason) {
        this.contextRunner.withPropertyValues(property).run((context) -> {
            assertThat(context).hasFailed();
            String failure = failureText(context);
            assertThat(failure).contains(name).contains(reason);
        });
    }

    private static String failureText(AssertableApplicationContext context) {
        StringBuilder text = new StringBuilder();
        for (Throwable failure = context.getStartupFailure(); failure != null; failure = failure.getCause()) {
            text.append(failure.getMessage()).append('\n');
            if (failure instanceof org.springframework.boot.context.properties.bind.BindException bind
                    && bind.getCause() instanceof org.springframework.boot.context.properties.bind.validation.BindValidationException validation) {
                validation.getValidationErrors().forEach((error) -> text.append(error.getObjectName()).append('.')
                    .append(((org.springframework.validation.FieldError) error).getField()).append(": ")
                    .append(error.getDefaultMessage()).append('\n'));
            }
        }
        return text.toString();
    }

    @Configuration(proxyBeanMethods = false)
    static class OrderedDispatchersConfiguration {

        static final List<String> registered = new CopyOnWriteArrayList<>();

        @Bean
        RecordingSettings unordered() {
            return new RecordingSettings(registered);
        }

        @Bean
        @Order(2)
        RecordingSettings second() {
            return new RecordingSettings(registered);
        }

        @Bean
        @Order(1)
        RecordingSettings first() {
            return new RecordingSettings(registered);
        }

    }

    /** A dispatcher without a socket that records when the registrar gives it its settings. */
    static class RecordingSettings extends Dispatcher {

        private final List<String> registered;

        RecordingSettings(List<String> registered) {
            this.registered = registered;
        }

        @Override
        public void setSettings(ChannelSettings settings) {
            super.setSettings(settings);
            this.registered.add(getName());
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class UserMapConfiguration {

        @Bean
        ChannelMap myMap() {
            return new ChannelMap("mine");
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class UserGroupConfiguration {

        @Bean
        EventLoopGroup myGroup() {
            return new EventLoopGroup("own", 1);
        }

    }

    /** Dispatcher beans for the keys the settings tests configure: a key must name a bean. */
    @Configuration(proxyBeanMethods = false)
    static class ChatEchoAndBulkConfiguration {

        @Bean
        Dispatcher chat() {
            return new Dispatcher() { };
        }

        @Bean
        Dispatcher echo() {
            return new Dispatcher() { };
        }

        @Bean
        Dispatcher bulk() {
            return new Dispatcher() { };
        }

    }

}
