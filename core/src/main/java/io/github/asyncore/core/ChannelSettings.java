package io.github.asyncore.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts and limits of one channel, set on a dispatcher with
 * {@link Dispatcher#setSettings(ChannelSettings)}. Connections accepted by a listener inherit the
 * listener's settings. A zero duration switches that timeout off.
 * <p>
 * Immutable and safe to share between threads; change one value with the {@code with...} methods.
 *
 * @param connectTimeout how long a connect may take before it fails with a
 *        {@link java.net.SocketTimeoutException} passed to {@link Dispatcher#handleError(Throwable)};
 *        zero for no limit
 * @param idleTimeout how long a channel may go without reading or writing before
 *        {@link Dispatcher#handleIdle(IdleState)} gets {@link IdleState#ALL_IDLE}; zero for never
 * @param readIdleTimeout how long a channel may go without reading before
 *        {@link IdleState#READER_IDLE}; zero for never
 * @param writeIdleTimeout how long a channel may go without writing before
 *        {@link IdleState#WRITER_IDLE}; zero for never
 * @param receiveBufferSize the most bytes the buffered dispatchers read from the socket in one call
 *        (asynchat's {@code ac_in_buffer_size}), at least 1
 * @param maxFrameSize the longest frame, in bytes, that {@link AsyncChat} collects before the channel
 *        is closed, at least 1
 * @param writeBufferWaterMark when a {@link BufferedDispatcher} stops and resumes reading
 * @param maxConnections for a listener: the most connections it keeps open at once; past it, a new
 *        connection is accepted and closed at once (the client reads end-of-stream) and counted as
 *        refused; 0 for no limit
 * @param outputLimit how much output the channel may owe its peer before it is closed, whoever made it
 *        (see {@link OutputLimit})
 */
public record ChannelSettings(Duration connectTimeout, Duration idleTimeout, Duration readIdleTimeout,
        Duration writeIdleTimeout, int receiveBufferSize, int maxFrameSize,
        WriteBufferWaterMark writeBufferWaterMark, int maxConnections, OutputLimit outputLimit) {

    /**
     * Connect timeout 30 s, no idle timeouts, 64 KiB reads, 64 KiB frames, marks of 32 and 64 KiB, no
     * connection limit, output limits of 4 MiB at once and 1 MiB for 10 s ({@link OutputLimit#DEFAULT}).
     */
    public static final ChannelSettings DEFAULTS = new ChannelSettings(Duration.ofSeconds(30), Duration.ZERO,
            Duration.ZERO, Duration.ZERO, 64 * 1024, 64 * 1024, WriteBufferWaterMark.DEFAULT, 0, OutputLimit.DEFAULT);

    /**
     * Checks every value.
     * @throws IllegalArgumentException naming the setting when a duration is negative or a size is not
     *         positive
     */
    public ChannelSettings {
        requireNotNegative("connect-timeout", connectTimeout);
        requireNotNegative("idle-timeout", idleTimeout);
        requireNotNegative("read-idle-timeout", readIdleTimeout);
        requireNotNegative("write-idle-timeout", writeIdleTimeout);
        requirePositive("receive-buffer-size", receiveBufferSize);
        requirePositive("max-frame-size", maxFrameSize);
        Objects.requireNonNull(writeBufferWaterMark, "write-buffer-water-mark must not be null");
        if (maxConnections < 0) {
            throw new IllegalArgumentException("max-connections must be 0 (no limit) or more, was " + maxConnections);
        }
        Objects.requireNonNull(outputLimit, "output-limit must not be null");
    }

    /** @return whether any of the three idle timeouts is set */
    public boolean hasIdleTimeout() {
        return !this.idleTimeout.isZero() || !this.readIdleTimeout.isZero() || !this.writeIdleTimeout.isZero();
    }

    /**
     * @param connectTimeout the new value
     * @return a copy with the connect timeout replaced
     */
    public ChannelSettings withConnectTimeout(Duration connectTimeout) {
        return new ChannelSettings(connectTimeout, this.idleTimeout, this.readIdleTimeout, this.writeIdleTimeout,
                this.receiveBufferSize, this.maxFrameSize, this.writeBufferWaterMark,
                this.maxConnections, this.outputLimit);
    }

    /**
     * @param idleTimeout the new value
     * @return a copy with the idle timeout replaced
     */
    public ChannelSettings withIdleTimeout(Duration idleTimeout) {
        return new ChannelSettings(this.connectTimeout, idleTimeout, this.readIdleTimeout, this.writeIdleTimeout,
                this.receiveBufferSize, this.maxFrameSize, this.writeBufferWaterMark,
                this.maxConnections, this.outputLimit);
    }

    /**
     * @param readIdleTimeout the new value
     * @return a copy with the read idle timeout replaced
     */
    public ChannelSettings withReadIdleTimeout(Duration readIdleTimeout) {
        return new ChannelSettings(this.connectTimeout, this.idleTimeout, readIdleTimeout, this.writeIdleTimeout,
                this.receiveBufferSize, this.maxFrameSize, this.writeBufferWaterMark,
                this.maxConnections, this.outputLimit);
    }

    /**
     * @param writeIdleTimeout the new value
     * @return a copy with the write idle timeout replaced
     */
    public ChannelSettings withWriteIdleTimeout(Duration writeIdleTimeout) {
        return new ChannelSettings(this.connectTimeout, this.idleTimeout, this.readIdleTimeout, writeIdleTimeout,
                this.receiveBufferSize, this.maxFrameSize, this.writeBufferWaterMark,
                this.maxConnections, this.outputLimit);
    }

    /**
     * @param receiveBufferSize the new value
     * @return a copy with the receive buffer size replaced
     */
    public ChannelSettings withReceiveBufferSize(int receiveBufferSize) {
        return new ChannelSettings(this.connectTimeout, this.idleTimeout, this.readIdleTimeout, this.writeIdleTimeout,
                receiveBufferSize, this.maxFrameSize, this.writeBufferWaterMark, this.maxConnections, this.outputLimit);
    }

    /**
     * @param maxFrameSize the new value
     * @return a copy with the max frame size replaced
     */
    public ChannelSettings withMaxFrameSize(int maxFrameSize) {
        return new ChannelSettings(this.connectTimeout, this.idleTimeout, this.readIdleTimeout, this.writeIdleTimeout,
                this.receiveBufferSize, maxFrameSize, this.writeBufferWaterMark, this.maxConnections, this.outputLimit);
    }

    /**
     * @param writeBufferWaterMark the new value
     * @return a copy with the write buffer water mark replaced
     */
    public ChannelSettings withWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        return new ChannelSettings(this.connectTimeout, this.idleTimeout, this.readIdleTimeout, this.writeIdleTimeout,
                this.receiveBufferSize, this.maxFrameSize, writeBufferWaterMark, this.maxConnections, this.outputLimit);
    }

    /**
     * @param maxConnections the new value
     * @return a copy with the max connections replaced
     */
    public ChannelSettings withMaxConnections(int maxConnections) {
        return new ChannelSettings(this.connectTimeout, this.idleTimeout, this.readIdleTimeout, this.writeIdleTimeout,
                this.receiveBufferSize, this.maxFrameSize, this.writeBufferWaterMark, maxConnections, this.outputLimit);
    }

    /**
     * @param outputLimit the new value
     * @return a copy with the output limit replaced
     */
    public ChannelSettings withOutputLimit(OutputLimit outputLimit) {
        return new ChannelSettings(this.connectTimeout, this.idleTimeout, this.readIdleTimeout, this.writeIdleTimeout,
                this.receiveBufferSize, this.maxFrameSize, this.writeBufferWaterMark, this.maxConnections, outputLimit);
    }

    private static void requireNotNegative(String name, Duration value) {
        Objects.requireNonNull(value, () -> name + " must not be null");
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be at least 1 byte, was " + value);
        }
    }

}
