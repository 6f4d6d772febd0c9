package io.github.asyncore.autoconfigure;

import java.time.Duration;

import io.github.asyncore.autoconfigure.AsyncoreProperties.Channel;
import io.github.asyncore.autoconfigure.AsyncoreProperties.DispatcherBean;
import io.github.asyncore.autoconfigure.AsyncoreProperties.Reconnect;
import io.github.asyncore.core.SocketType;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Checks {@link AsyncoreProperties} when Spring Boot binds them, so that a bad value fails start-up with a
 * message naming the property: ranges, the order of the water marks and of the output limits (with a
 * dispatcher's own value against the inherited one), addresses that must parse, and settings that cannot
 * go together.
 */
class AsyncorePropertiesValidator implements Validator {

    @Override
    public boolean supports(Class<?> type) {
        return AsyncoreProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        AsyncoreProperties properties = (AsyncoreProperties) target;
        AsyncoreProperties.Loop loop = properties.getLoop();
        if (loop.getThreads() < 1) {
            errors.rejectValue("loop.threads", "asyncore.threads", "must be at least 1");
        }
        positive(errors, "loop.select-timeout", loop.getSelectTimeout());
        if (loop.getHandshakeThreads() < 0) {
            errors.rejectValue("loop.handshake-threads", "asyncore.threads", "must be 0 (on the loops) or more");
        }
        positive(errors, "loop.stall-threshold", loop.getStallThreshold());
        DataSize maxOutputMemory = loop.getMaxOutputMemory();
        if (maxOutputMemory != null && maxOutputMemory.toBytes() < 16 * 1024) {
            errors.rejectValue("loop.max-output-memory", "asyncore.size", "must be at least 16KB (one output chunk)");
        }
        notNegative(errors, "shutdown.timeout", properties.getShutdown().getTimeout());
        if (properties.getEvents().getQueueCapacity() < 1) {
            errors.rejectValue("events.queue-capacity", "asyncore.capacity", "must be at least 1");
        }
        double busyThreshold = properties.getReadiness().getBusyThreshold();
        if (!(busyThreshold > 0 && busyThreshold <= 1)) {
            errors.rejectValue("readiness.busy-threshold", "asyncore.fraction", "must be above 0 and at most 1");
        }
        notNegative(errors, "readiness.busy-duration", properties.getReadiness().getBusyDuration());
        Channel defaults = properties.getChannel();
        validateChannel(errors, "channel.", defaults, defaults);
        notNegative(errors, "channel.ssl.handshake-timeout", defaults.getSsl().getHandshakeTimeout());
        properties.getDispatchers()
            .forEach((name, bean) -> validateBean(errors, "dispatchers." + name + ".", bean, defaults));
    }

    private static void validateChannel(Errors errors, String prefix, Channel channel, Channel defaults) {
        notNegative(errors, prefix + "connect-timeout", channel.getConnectTimeout());
        notNegative(errors, prefix + "idle-timeout", channel.getIdleTimeout());
        notNegative(errors, prefix + "read-idle-timeout", channel.getReadIdleTimeout());
        notNegative(errors, prefix + "write-idle-timeout", channel.getWriteIdleTimeout());
        if (channel.getMaxConnections() != null && channel.getMaxConnections() < 0) {
            errors.rejectValue(prefix + "max-connections", "asyncore.negative", "must be 0 (no limit) or more");
        }
        atLeastOneByte(errors, prefix + "receive-buffer-size", channel.getReceiveBufferSize());
        atLeastOneByte(errors, prefix + "max-frame-size", channel.getMaxFrameSize());
        fitsAnInt(errors, prefix + "receive-buffer-size", channel.getReceiveBufferSize());
        fitsAnInt(errors, prefix + "max-frame-size", channel.getMaxFrameSize());
        fitsAnInt(errors, prefix + "write-buffer-high-water-mark", channel.getWriteBufferHighWaterMark());
        DataSize low = channel.getWriteBufferLowWaterMark();
        DataSize high = channel.getWriteBufferHighWaterMark();
        if (low != null && low.isNegative()) {
            errors.rejectValue(prefix + "write-buffer-low-water-mark", "asyncore.size", "must not be negative");
        }
        else if (low != null && high != null && low.compareTo(high) > 0) {
            errors.rejectValue(prefix + "write-buffer-low-water-mark", "asyncore.marks",
                    "must not be above the write buffer high water mark (" + high.toBytes() + " bytes)");
        }
        notNegativeSize(errors, prefix + "output-hard-limit", channel.getOutputHardLimit());
        notNegativeSize(errors, prefix + "output-soft-limit", channel.getOutputSoftLimit());
        notNegative(errors, prefix + "output-soft-limit-duration", channel.getOutputSoftLimitDuration());
        DataSize hard = (channel.getOutputHardLimit() != null) ? channel.getOutputHardLimit()
                : defaults.getOutputHardLimit();
        DataSize soft = (channel.getOutputSoftLimit() != null) ? channel.getOutputSoftLimit()
                : defaults.getOutputSoftLimit();
        if ((channel.getOutputHardLimit() != null || channel.getOutputSoftLimit() != null) && hard != null
                && soft != null && hard.toBytes() > 0 && soft.compareTo(hard) > 0) {
            String field = (channel.getOutputSoftLimit() != null) ? "output-soft-limit" : "output-hard-limit";
            errors.rejectValue(prefix + field, "asyncore.limits", "leaves the output soft limit (" + soft.toBytes()
                    + " bytes) above the output hard limit (" + hard.toBytes() + " bytes)");
        }
    }

    private static void validateBean(Errors errors, String prefix, DispatcherBean bean, Channel defaults) {
        if (bean.getBacklog() < 1) {
            errors.rejectValue(prefix + "backlog", "asyncore.backlog", "must be at least 1");
        }
        if (bean.getAddress() != null) {
            try {
                SocketAddresses.parse(bean.getAddress(), bean.getType());
            }
            catch (IllegalArgumentException ex) {
                errors.rejectValue(prefix + "address", "asyncore.address", ex.getMessage());
            }
        }
        if (bean.getRemoteAddress() != null) {
            if (bean.getAddress() != null) {
                errors.rejectValue(prefix + "remote-address", "asyncore.address",
                        "a dispatcher either listens at 'address' or connects to 'remote-address', not both");
            }
            try {
                SocketAddresses.parseRemote(bean.getRemoteAddress(), bean.getType());
            }
            catch (IllegalArgumentException ex) {
                errors.rejectValue(prefix + "remote-address", "asyncore.address", ex.getMessage());
            }
        }
        validateReconnect(errors, prefix + "reconnect.", bean.getReconnect());
        validateChannel(errors, prefix, bean, defaults);
        notNegative(errors, prefix + "ssl.handshake-timeout", bean.getSsl().getHandshakeTimeout());
        String bundle = bean.getSsl().getBundle();
        if (bundle != null && bundle.isBlank()) {
            errors.rejectValue(prefix + "ssl.bundle", "asyncore.bundle", "must name an SSL bundle, or be left out");
        }
        if (bean.getType() == SocketType.DATAGRAM && bundle != null) {
            errors.rejectValue(prefix + "ssl.bundle", "asyncore.bundle", "TLS needs a stream socket; DTLS is not supported");
        }
        DataSize low = bean.getWriteBufferLowWaterMark();
        DataSize high = bean.getWriteBufferHighWaterMark();
        if ((low == null) != (high == null)) { // one mark set here, the other inherited
            DataSize effectiveLow = (low != null) ? low : defaults.getWriteBufferLowWaterMark();
            DataSize effectiveHigh = (high != null) ? high : defaults.getWriteBufferHighWaterMark();
            if (effectiveLow.compareTo(effectiveHigh) > 0) {
                errors.rejectValue(prefix + ((low != null) ? "write-buffer-low-water-mark" : "write-buffer-high-water-mark"),
                        "asyncore.marks", "leaves the write buffer low water mark (" + effectiveLow.toBytes()
                                + " bytes) above the high water mark (" + effectiveHigh.toBytes() + " bytes)");
            }
        }
    }

    private static void validateReconnect(Errors errors, String prefix, Reconnect reconnect) {
        positive(errors, prefix + "initial-delay", reconnect.getInitialDelay());
        positive(errors, prefix + "max-delay", reconnect.getMaxDelay());
        Duration initial = reconnect.getInitialDelay();
        Duration max = reconnect.getMaxDelay();
        if (initial != null && max != null && max.compareTo(initial) < 0) {
            errors.rejectValue(prefix + "max-delay", "asyncore.delay",
                    "must not be below the initial delay (" + initial.toMillis() + " ms)");
        }
        if (!(reconnect.getMultiplier() >= 1.0) || Double.isInfinite(reconnect.getMultiplier())) {
            errors.rejectValue(prefix + "multiplier", "asyncore.multiplier", "must be 1 or more");
        }
        if (!(reconnect.getJitter() >= 0.0 && reconnect.getJitter() <= 1.0)) {
            errors.rejectValue(prefix + "jitter", "asyncore.jitter", "must be from 0 to 1");
        }
    }

    private static void positive(Errors errors, String field, @Nullable Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            errors.rejectValue(field, "asyncore.positive", "must be positive");
        }
    }

    private static void notNegative(Errors errors, String field, @Nullable Duration value) {
        if (value != null && value.isNegative()) {
            errors.rejectValue(field, "asyncore.negative", "must not be negative");
        }
    }

    private static void atLeastOneByte(Errors errors, String field, @Nullable DataSize value) {
        if (value != null && value.toBytes() < 1) {
            errors.rejectValue(field, "asyncore.size", "must be at least 1 byte");
        }
    }

    private static void notNegativeSize(Errors errors, String field, @Nullable DataSize value) {
        if (value != null && value.isNegative()) {
            errors.rejectValue(field, "asyncore.size", "must not be negative (0 for no limit)");
        }
    }

    private static void fitsAnInt(Errors errors, String field, @Nullable DataSize value) {
        if (value != null && value.toBytes() > Integer.MAX_VALUE) {
            errors.rejectValue(field, "asyncore.size", "must be less than 2 GB");
        }
    }

}
