package io.github.asyncore.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.github.asyncore.autoconfigure.AsyncoreProperties.Channel;
import io.github.asyncore.autoconfigure.AsyncoreProperties.DispatcherBean;
import io.github.asyncore.autoconfigure.AsyncoreProperties.Reconnect;
import io.github.asyncore.core.ChannelSettings;
import io.github.asyncore.core.OutputLimit;
import io.github.asyncore.core.ReconnectPolicy;
import io.github.asyncore.core.TlsSettings;
import io.github.asyncore.core.WriteBufferWaterMark;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * Maps {@link AsyncoreProperties} onto core's settings: the channel defaults and a dispatcher bean's
 * overrides onto {@link ChannelSettings} (a setting a bean leaves unset inherits the default), a bean's
 * {@code reconnect.*} onto a {@link ReconnectPolicy}, and its TLS handshake timeout. The properties stay
 * plain data; this is where their meaning for core lives.
 */
final class DispatcherSettings {

    private DispatcherSettings() {
    }

    /**
     * @param properties the bound properties
     * @param beanName a dispatcher bean's name
     * @return the bean's overrides on top of the channel defaults
     */
    static ChannelSettings of(AsyncoreProperties properties, String beanName) {
        ChannelSettings defaults = defaults(properties.getChannel());
        DispatcherBean bean = find(properties, beanName);
        return (bean != null) ? overrides(bean, defaults) : defaults;
    }

    /**
     * The settings of one dispatcher bean, found by Spring Boot's relaxed rules: {@code kvServer},
     * {@code kv-server}, {@code kv_server} and {@code kvserver} (the form an environment variable such as
     * {@code ASYNCORE_DISPATCHERS_KVSERVER_ADDRESS} gives) all name the bean {@code kvServer}. When several
     * such keys are present (a YAML file and an environment variable), Spring Boot has bound each of them
     * from every property source in order of precedence, so they hold the same values.
     * @param properties the bound properties
     * @param beanName the dispatcher's bean name
     * @return its settings, or {@code null} when none are configured
     */
    static @Nullable DispatcherBean find(AsyncoreProperties properties, String beanName) {
        Map<String, DispatcherBean> beans = properties.getDispatchers();
        DispatcherBean exact = beans.get(beanName);
        if (exact != null) {
            return exact;
        }
        String uniform = DispatcherNames.uniform(beanName);
        for (Map.Entry<String, DispatcherBean> entry : beans.entrySet()) {
            if (DispatcherNames.uniform(entry.getKey()).equals(uniform)) {
                return entry.getValue();
            }
        }
        return null;
    }

    static ChannelSettings defaults(Channel channel) {
        return new ChannelSettings(channel.getConnectTimeout(), channel.getIdleTimeout(), channel.getReadIdleTimeout(),
                channel.getWriteIdleTimeout(), intBytes(channel.getReceiveBufferSize()),
                intBytes(channel.getMaxFrameSize()),
                new WriteBufferWaterMark(intBytes(channel.getWriteBufferLowWaterMark()),
                        intBytes(channel.getWriteBufferHighWaterMark())),
                channel.getMaxConnections(), new OutputLimit(channel.getOutputHardLimit().toBytes(),
                        channel.getOutputSoftLimit().toBytes(), channel.getOutputSoftLimitDuration()));
    }

    static ChannelSettings overrides(DispatcherBean bean, ChannelSettings defaults) {
        WriteBufferWaterMark marks = defaults.writeBufferWaterMark();
        OutputLimit limit = defaults.outputLimit();
        return new ChannelSettings(or(bean.getConnectTimeout(), defaults.connectTimeout()),
                or(bean.getIdleTimeout(), defaults.idleTimeout()),
                or(bean.getReadIdleTimeout(), defaults.readIdleTimeout()),
                or(bean.getWriteIdleTimeout(), defaults.writeIdleTimeout()),
                or(bean.getReceiveBufferSize(), defaults.receiveBufferSize()),
                or(bean.getMaxFrameSize(), defaults.maxFrameSize()),
                new WriteBufferWaterMark(or(bean.getWriteBufferLowWaterMark(), marks.low()),
                        or(bean.getWriteBufferHighWaterMark(), marks.high())),
                (bean.getMaxConnections() != null) ? bean.getMaxConnections() : defaults.maxConnections(),
                new OutputLimit(or(bean.getOutputHardLimit(), limit.hard()), or(bean.getOutputSoftLimit(), limit.soft()),
                        or(bean.getOutputSoftLimitDuration(), limit.softDuration())));
    }

    /** @return the bean's reconnection policy, or {@code null} when reconnecting is off */
    static @Nullable ReconnectPolicy reconnectPolicy(Reconnect reconnect) {
        return reconnect.isEnabled() ? new ReconnectPolicy(reconnect.getInitialDelay(), reconnect.getMaxDelay(),
                reconnect.getMultiplier(), reconnect.getJitter()) : null;
    }

    /** @return the TLS handshake timeout in force for the bean: its own, else the channel default */
    static Duration handshakeTimeout(DispatcherBean bean, AsyncoreProperties.Ssl defaults) {
        Duration fallback = defaults.getHandshakeTimeout();
        return or(bean.getSsl().getHandshakeTimeout(),
                (fallback != null) ? fallback : TlsSettings.DEFAULT_HANDSHAKE_TIMEOUT);
    }

    private static Duration or(@Nullable Duration value, Duration fallback) {
        return (value != null) ? value : fallback;
    }

    private static int or(@Nullable DataSize value, int fallback) {
        return (value != null) ? intBytes(value) : fallback;
    }

    private static long or(@Nullable DataSize value, long fallback) {
        return (value != null) ? value.toBytes() : fallback;
    }

    private static int intBytes(DataSize size) {
        return (int) size.toBytes(); // the validator keeps these sizes below 2 GB
    }

}
