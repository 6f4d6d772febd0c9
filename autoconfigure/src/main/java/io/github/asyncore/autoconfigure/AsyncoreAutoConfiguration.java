package io.github.asyncore.autoconfigure;

import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.EventLoop;
import io.github.asyncore.core.EventLoopGroup;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of asyncore's loops: the managed {@link ChannelMap},
 * its {@link EventLoop}, the {@link EventLoopGroup} of {@code asyncore.loop.threads} loops built around
 * it, and the {@link AsyncoreLifecycle} that runs them and registers every dispatcher bean (with TLS
 * from Spring Boot's {@link SslBundles} where {@code asyncore.dispatchers.<bean-name>.ssl.bundle} names
 * one, on the engine of {@code asyncore.ssl.provider}). Each bean backs off when the application defines its own of that type. Switched off by
 * {@code asyncore.enabled=false}.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "asyncore.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AsyncoreProperties.class)
public final class AsyncoreAutoConfiguration {

    /** The prefix of the loops' names and threads: {@code asyncore-0}, {@code asyncore-1}, ... */
    public static final String LOOP_NAME = "asyncore";

    // destroyMethod = "": the group closes its maps (and their loops) once
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    ChannelMap asyncoreChannelMap() {
        return new ChannelMap(LOOP_NAME + "-0");
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    EventLoop asyncoreEventLoop(ChannelMap channelMap) {
        return channelMap.eventLoop();
    }

    @Bean
    @ConditionalOnMissingBean
    EventLoopGroup asyncoreEventLoopGroup(EventLoop eventLoop, AsyncoreProperties properties) {
        return new EventLoopGroup(eventLoop.map(), LOOP_NAME, properties.getLoop().getThreads());
    }

    @Bean
    @ConditionalOnMissingBean
    AsyncoreLifecycle asyncoreLifecycle(EventLoopGroup eventLoopGroup, AsyncoreProperties properties,
            ConfigurableListableBeanFactory beanFactory, ObjectProvider<SslBundles> sslBundles, Environment environment,
            ApplicationEventPublisher eventPublisher) {
        DispatcherTls tls = new DispatcherTls(sslBundles.getIfAvailable(), properties,
                beanFactory.getBeanClassLoader());
        return new AsyncoreLifecycle(eventLoopGroup,
                new DispatcherRegistrar(beanFactory, properties, eventLoopGroup, tls), properties, environment,
                eventPublisher);
    }

}
