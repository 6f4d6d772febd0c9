package io.github.asyncore.autoconfigure;

import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.EventLoopGroup;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code asyncore.loop.handshake-threads}: every loop hands its TLS engines' delegated tasks to one pool of
 * that many threads, shut down with the context; 0 leaves them on the loops; a negative count fails
 * start-up.
 */
class HandshakeThreadsTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncoreAutoConfiguration.class))
        .withPropertyValues("asyncore.loop.threads=2");

    @Test
    void everyLoopSharesOnePoolOfTheConfiguredSizeUntilTheContextCloses() {
        ThreadPoolTaskExecutor[] pool = new ThreadPoolTaskExecutor[1];
        this.contextRunner.withPropertyValues("asyncore.loop.handshake-threads=3").run((context) -> {
            EventLoopGroup group = context.getBean(EventLoopGroup.class);
            assertThat(group.maps()).hasSize(2)
                .extracting(ChannelMap::getHandshakeExecutor)
                .allSatisfy((executor) -> assertThat(executor).isInstanceOf(ThreadPoolTaskExecutor.class))
                .containsOnly(group.maps().get(0).getHandshakeExecutor());
            pool[0] = (ThreadPoolTaskExecutor) group.maps().get(0).getHandshakeExecutor();
            assertThat(pool[0].getMaxPoolSize()).isEqualTo(3);
            assertThat(pool[0].getThreadNamePrefix()).isEqualTo("asyncore-handshake-");
        });
        assertThat(pool[0].getThreadPoolExecutor().isShutdown()).isTrue();
    }

    @Test
    void theDefaultIsOneThreadPerProcessor() {
        this.contextRunner.run((context) -> {
            ThreadPoolTaskExecutor pool = (ThreadPoolTaskExecutor) context.getBean(EventLoopGroup.class)
                .acceptor()
                .getHandshakeExecutor();
            assertThat(pool.getMaxPoolSize()).isEqualTo(Runtime.getRuntime().availableProcessors());
        });
    }

    @Test
    void zeroThreadsLeaveTheWorkOnTheLoops() {
        this.contextRunner.withPropertyValues("asyncore.loop.handshake-threads=0")
            .run((context) -> assertThat(context.getBean(EventLoopGroup.class).maps())
                .extracting(ChannelMap::getHandshakeExecutor)
                .containsOnlyNulls());
    }

    @Test
    void aNegativeCountFailsStartUp() {
        this.contextRunner.withPropertyValues("asyncore.loop.handshake-threads=-1")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .hasMessageContaining("loop.handshake-threads")
                .hasMessageContaining("must be 0 (on the loops) or more"));
    }

}
