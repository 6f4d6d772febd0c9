package io.github.asyncore.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.asyncore.core.ReconnectPolicy;
import io.github.asyncore.core.SocketType;
import io.github.asyncore.core.TlsSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of asyncore's event loops and channels, under {@code asyncore.*}: plain data, as Spring
 * Boot binds it. {@link AsyncorePropertiesValidator} checks it when it is bound, so that a bad value fails
 * start-up with a message naming the property; {@link DispatcherSettings} maps it onto core's settings.
 */
@ConfigurationProperties("asyncore")
public class AsyncoreProperties implements Validator {

    private static final Validator VALIDATOR = new AsyncorePropertiesValidator();

    /**
     * Whether to run asyncore: the event loops, the registration of Dispatcher beans, and its actuator
     * endpoint, health indicator and meters.
     */
    private boolean enabled = true;

    private final Loop loop = new Loop();

    private final Shutdown shutdown = new Shutdown();

    private final Channel channel = new Channel();

    private final Events events = new Events();

    private final Readiness readiness = new Readiness();

    private final SslEngine ssl = new SslEngine();

    /**
     * Settings of single dispatchers, keyed by bean name in any relaxed form ('kvServer', 'kv-server',
     * or 'KVSERVER' from an environment variable): where each listens or connects, and overrides of the
     * 'asyncore.channel' defaults. Connections a listener accepts inherit its settings. A key that names
     * no Dispatcher bean fails start-up.
     */
    private final Map<String, DispatcherBean> dispatchers = new LinkedHashMap<>();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Loop getLoop() {
        return this.loop;
    }

    public Shutdown getShutdown() {
        return this.shutdown;
    }

    public Channel getChannel() {
        return this.channel;
    }

    public Events getEvents() {
        return this.events;
    }

    public Readiness getReadiness() {
        return this.readiness;
    }

    public SslEngine getSsl() {
        return this.ssl;
    }

    public Map<String, DispatcherBean> getDispatchers() {
        return this.dispatchers;
    }

    /** Runs {@link AsyncorePropertiesValidator}: Spring Boot validates properties that are a validator. */
    @Override
    public boolean supports(Class<?> type) {
        return VALIDATOR.supports(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        VALIDATOR.validate(target, errors);
    }

    /** The event loops. */
    public static class Loop {

        /**
         * Number of event-loop threads. Listeners accept on the first loop; with more than one, accepted
         * connections are spread over all of them in turn.
         */
        private int threads = 1;

        /**
         * Longest single wait in the selector (asyncore's loop timeout). A loop wakes earlier for I/O,
         * tasks and timers, so this only bounds how long an idle loop sleeps.
         */
        private Duration selectTimeout = Duration.ofSeconds(30);

        /**
         * Run time above which a handler, task or timer counts as a stall: it is logged with its channel,
         * counted, and health reports DOWN while one lasts.
         */
        private Duration stallThreshold = Duration.ofMillis(100);

        /**
         * Most memory each loop lends its channels for queued output (pooled direct buffers). When a send
         * needs more, or more than the JVM's direct memory allows, the channel holding the most output memory
         * (usually the one that sent) is closed and the loop serves the others. Keep threads x this below the
         * JVM's -XX:MaxDirectMemorySize.
         */
        private DataSize maxOutputMemory = DataSize.ofMegabytes(64);

        /**
         * Threads that run TLS handshake work (the engine's key agreement, signatures and certificate checks,
         * a millisecond or more per handshake) for all loops, so that a burst of new TLS clients does not stall the
         * channels a loop already serves. 0 runs that work on the loops. Default: the number of processors.
         */
        private int handshakeThreads = Runtime.getRuntime().availableProcessors();

        public int getThreads() {
            return this.threads;
        }

        public void setThreads(int threads) {
            this.threads = threads;
        }

        public Duration getSelectTimeout() {
            return this.selectTimeout;
        }

        public void setSelectTimeout(Duration selectTimeout) {
            this.selectTimeout = selectTimeout;
        }

        public Duration getStallThreshold() {
            return this.stallThreshold;
        }

        public void setStallThreshold(Duration stallThreshold) {
            this.stallThreshold = stallThreshold;
        }

        public DataSize getMaxOutputMemory() {
            return this.maxOutputMemory;
        }

        public int getHandshakeThreads() {
            return this.handshakeThreads;
        }

        public void setHandshakeThreads(int handshakeThreads) {
            this.handshakeThreads = handshakeThreads;
        }

        public void setMaxOutputMemory(DataSize maxOutputMemory) {
            this.maxOutputMemory = maxOutputMemory;
        }

    }

    /** Graceful shutdown. */
    public static class Shutdown {

        /**
         * How long pending output may drain when the application stops, after the listeners closed and
         * reading stopped; channels still owing output then are closed. Keep it below
         * 'spring.lifecycle.timeout-per-shutdown-phase'.
         */
        private Duration timeout = Duration.ofSeconds(10);

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

    }

    /** Spring application events for the channels' life (opened, idle, closed, refused). */
    public static class Events {

        /**
         * Whether to publish channel events (ChannelOpenedEvent, ChannelIdleEvent, ChannelClosedEvent,
         * ConnectionRefusedEvent) to the application context. When false, the loops have no listener at
         * all.
         */
        private boolean enabled = true;

        /**
         * Most events that may wait for the publishing thread when the application's listeners fall behind;
         * past it new events are dropped and counted in the 'asyncore.events.dropped' meter.
         */
        private int queueCapacity = 10000;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getQueueCapacity() {
            return this.queueCapacity;
        }

        public void setQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

    }

    /**
     * Saturation in the 'readiness' health group (contributor 'asyncoreReadiness'), so that a pod that
     * cannot take more connections stops getting new ones; liveness is left alone.
     */
    public static class Readiness {

        /**
         * Whether to report saturation: OUT_OF_SERVICE while a listener has its 'max-connections' open, or
         * while a loop's busy fraction has stayed above 'busy-threshold' for 'busy-duration'. The contributor
         * joins the readiness group unless its members were set explicitly.
         */
        private boolean enabled = true;

        /**
         * Share of wall time a loop spends in handlers, tasks and timers (0 to 1) above which it counts as
         * busy.
         */
        private double busyThreshold = 0.9;

        /**
         * How long a loop must stay busy before readiness goes OUT_OF_SERVICE. The busy fraction is read at
         * each health check, so this is measured at the pace of the probes.
         */
        private Duration busyDuration = Duration.ofSeconds(30);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public double getBusyThreshold() {
            return this.busyThreshold;
        }

        public void setBusyThreshold(double busyThreshold) {
            this.busyThreshold = busyThreshold;
        }

        public Duration getBusyDuration() {
            return this.busyDuration;
        }

        public void setBusyDuration(Duration busyDuration) {
            this.busyDuration = busyDuration;
        }

    }

    /** Defaults for every channel; a zero duration switches a timeout off. */
    public static class Channel {

        /** How long a connect may take before it fails. Zero for no limit. */
        private Duration connectTimeout = Duration.ofSeconds(30);

        /** How long a channel may go without reading or writing before it is closed. Zero for never. */
        private Duration idleTimeout = Duration.ZERO;

        /** How long a channel may go without reading before it is closed. Zero for never. */
        private Duration readIdleTimeout = Duration.ZERO;

        /** How long a channel may go without writing before it is closed. Zero for never. */
        private Duration writeIdleTimeout = Duration.ZERO;

        /** Most bytes the buffered dispatchers read from a socket in one call. */
        private DataSize receiveBufferSize = DataSize.ofKilobytes(64);

        /** Longest frame (for example a line) a chat dispatcher collects before it closes the channel. */
        private DataSize maxFrameSize = DataSize.ofKilobytes(64);

        /** Pending output above which a buffered dispatcher stops reading from its peer. */
        private DataSize writeBufferHighWaterMark = DataSize.ofKilobytes(64);

        /** Pending output at or below which a paused dispatcher reads again. */
        private DataSize writeBufferLowWaterMark = DataSize.ofKilobytes(32);

        /**
         * Most connections a listener keeps open at once; past it a new connection is accepted and closed
         * at once (the client reads end-of-stream) and counted as refused. 0 for no limit.
         */
        private Integer maxConnections = 0;

        /**
         * Pending output above which a channel is closed at once, whoever made the output (its own
         * handlers, a broadcast, a timer, another thread): a peer that does not read cannot make the
         * service hold more for it. Send larger answers through a producer (pushWithProducer). 0 for no
         * limit.
         */
        private DataSize outputHardLimit = DataSize.ofMegabytes(4);

        /**
         * Pending output above which a channel may stay only for 'output-soft-limit-duration' before it is
         * closed, so that a peer that falls behind for good is let go before the hard limit. 0 for no limit.
         */
        private DataSize outputSoftLimit = DataSize.ofMegabytes(1);

        /** How long pending output may stay above 'output-soft-limit' before the channel is closed. */
        private Duration outputSoftLimitDuration = Duration.ofSeconds(10);

        private final Ssl ssl;

        public Channel() {
            this(new Ssl());
        }

        Channel(Ssl ssl) {
            this.ssl = ssl;
        }

        public Ssl getSsl() {
            return this.ssl;
        }

        public Duration getConnectTimeout() {
            return this.connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Duration getIdleTimeout() {
            return this.idleTimeout;
        }

        public void setIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }

        public Duration getReadIdleTimeout() {
            return this.readIdleTimeout;
        }

        public void setReadIdleTimeout(Duration readIdleTimeout) {
            this.readIdleTimeout = readIdleTimeout;
        }

        public Duration getWriteIdleTimeout() {
            return this.writeIdleTimeout;
        }

        public void setWriteIdleTimeout(Duration writeIdleTimeout) {
            this.writeIdleTimeout = writeIdleTimeout;
        }

        public DataSize getReceiveBufferSize() {
            return this.receiveBufferSize;
        }

        public void setReceiveBufferSize(DataSize receiveBufferSize) {
            this.receiveBufferSize = receiveBufferSize;
        }

        public DataSize getMaxFrameSize() {
            return this.maxFrameSize;
        }

        public void setMaxFrameSize(DataSize maxFrameSize) {
            this.maxFrameSize = maxFrameSize;
        }

        public DataSize getWriteBufferHighWaterMark() {
            return this.writeBufferHighWaterMark;
        }

        public void setWriteBufferHighWaterMark(DataSize writeBufferHighWaterMark) {
            this.writeBufferHighWaterMark = writeBufferHighWaterMark;
        }

        public DataSize getWriteBufferLowWaterMark() {
            return this.writeBufferLowWaterMark;
        }

        public void setWriteBufferLowWaterMark(DataSize writeBufferLowWaterMark) {
            this.writeBufferLowWaterMark = writeBufferLowWaterMark;
        }

        public Integer getMaxConnections() {
            return this.maxConnections;
        }

        public void setMaxConnections(Integer maxConnections) {
            this.maxConnections = maxConnections;
        }

        public DataSize getOutputHardLimit() {
            return this.outputHardLimit;
        }

        public void setOutputHardLimit(DataSize outputHardLimit) {
            this.outputHardLimit = outputHardLimit;
        }

        public DataSize getOutputSoftLimit() {
            return this.outputSoftLimit;
        }

        public void setOutputSoftLimit(DataSize outputSoftLimit) {
            this.outputSoftLimit = outputSoftLimit;
        }

        public Duration getOutputSoftLimitDuration() {
            return this.outputSoftLimitDuration;
        }

        public void setOutputSoftLimitDuration(Duration outputSoftLimitDuration) {
            this.outputSoftLimitDuration = outputSoftLimitDuration;
        }

    }

    /**
     * One dispatcher bean: where it listens or connects, and overrides of the channel defaults. An override
     * left unset is {@code null} here and inherits the 'asyncore.channel' value.
     */
    public static class DispatcherBean extends Channel {

        /**
         * Address the dispatcher listens on (stream) or binds to (datagram): 'port' for every interface,
         * 'host:port', '[ipv6]:port', or 'unix:/path/to.sock'. Unset when the dispatcher opens a socket of
         * its own or needs none.
         */
        private @Nullable String address;

        /**
         * Address a client dispatcher connects to at start-up, in the forms of 'address' ('port' alone
         * means this machine's loopback address). With 'reconnect.enabled', it connects again whenever the
         * connection fails or closes for a reason other than the application's own close.
         */
        private @Nullable String remoteAddress;

        /** Kind of socket opened at the address, or connected to the remote address. */
        private SocketType type = SocketType.STREAM;

        /** Length of the queue of connections not yet accepted. */
        private int backlog = 128;

        private final Reconnect reconnect = new Reconnect();

        /** Creates overrides that inherit every channel default until set. */
        public DispatcherBean() {
            super(new DispatcherSsl());
            setConnectTimeout(null);
            setIdleTimeout(null);
            setReadIdleTimeout(null);
            setWriteIdleTimeout(null);
            setReceiveBufferSize(null);
            setMaxFrameSize(null);
            setWriteBufferHighWaterMark(null);
            setWriteBufferLowWaterMark(null);
            setMaxConnections(null);
            setOutputHardLimit(null);
            setOutputSoftLimit(null);
            setOutputSoftLimitDuration(null);
        }

        public @Nullable String getAddress() {
            return this.address;
        }

        public void setAddress(@Nullable String address) {
            this.address = address;
        }

        public @Nullable String getRemoteAddress() {
            return this.remoteAddress;
        }

        public void setRemoteAddress(@Nullable String remoteAddress) {
            this.remoteAddress = remoteAddress;
        }

        public Reconnect getReconnect() {
            return this.reconnect;
        }

        public SocketType getType() {
            return this.type;
        }

        public void setType(SocketType type) {
            this.type = type;
        }

        public int getBacklog() {
            return this.backlog;
        }

        public void setBacklog(int backlog) {
            this.backlog = backlog;
        }

        @Override
        public DispatcherSsl getSsl() {
            return (DispatcherSsl) super.getSsl();
        }

    }

    /**
     * How a client dispatcher with a 'remote-address' reconnects: after a failed connect, or a connection
     * that closed for any reason but the application's own close and shutdown, it waits 'initial-delay',
     * then a delay multiplied by 'multiplier' after each further failure up to 'max-delay', each shortened
     * by up to 'jitter' of itself at random so that many clients do not come back in step.
     */
    public static class Reconnect {

        /** Whether to connect again when the connection fails or is lost. */
        private boolean enabled = true;

        /** Delay before the first attempt after a failure or a loss. */
        private Duration initialDelay = ReconnectPolicy.DEFAULT.initialDelay();

        /** Longest delay between two attempts. */
        private Duration maxDelay = ReconnectPolicy.DEFAULT.maxDelay();

        /** Factor by which the delay grows after each failed attempt (1 for a fixed delay). */
        private double multiplier = ReconnectPolicy.DEFAULT.multiplier();

        /** Fraction of each delay (0 to 1) taken off at random. */
        private double jitter = ReconnectPolicy.DEFAULT.jitter();

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getInitialDelay() {
            return this.initialDelay;
        }

        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        public Duration getMaxDelay() {
            return this.maxDelay;
        }

        public void setMaxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
        }

        public double getMultiplier() {
            return this.multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public double getJitter() {
            return this.jitter;
        }

        public void setJitter(double jitter) {
            this.jitter = jitter;
        }

    }

    /** The TLS engine of every dispatcher that takes its TLS from an SSL bundle. */
    public static class SslEngine {

        /**
         * Provider whose TLS engine serves the SSL bundles of dispatchers: 'jdk' (the JDK's own) or
         * 'conscrypt' (BoringSSL through Conscrypt, which needs org.conscrypt:conscrypt-openjdk-uber on the
         * class path). The bundle's key, trust material and options apply either way.
         */
        private TlsProvider provider = TlsProvider.JDK;

        public TlsProvider getProvider() {
            return this.provider;
        }

        public void setProvider(TlsProvider provider) {
            this.provider = provider;
        }

    }

    /** TLS defaults for every channel that speaks TLS. */
    public static class Ssl {

        /**
         * How long a TLS handshake may take, from the TCP connection, before the channel is closed with
         * a logged reason. Zero for no limit.
         */
        private @Nullable Duration handshakeTimeout = Duration.ofSeconds(10);

        public @Nullable Duration getHandshakeTimeout() {
            return this.handshakeTimeout;
        }

        public void setHandshakeTimeout(@Nullable Duration handshakeTimeout) {
            this.handshakeTimeout = handshakeTimeout;
        }

    }

    /**
     * TLS of one dispatcher bean. A listener (one with an address, or listening on a socket of its own)
     * serves TLS with the bundle's key and trust material; any other dispatcher is a client and trusts the
     * bundle's trust material.
     */
    public static class DispatcherSsl extends Ssl {

        /**
         * Name of the SSL bundle (under 'spring.ssl.bundle.jks' or 'spring.ssl.bundle.pem') that
         * makes the dispatcher speak TLS. Unset for plain TCP.
         */
        private @Nullable String bundle;

        /** Whether a listener asks its clients for a certificate: none, want or need. */
        private TlsSettings.ClientAuth clientAuth = TlsSettings.ClientAuth.NONE;

        /**
         * Whether a client checks that the server's certificate names the host it connects to. Switch
         * it off for tests only.
         */
        private boolean verifyHostname = true;

        /** Inherits the handshake timeout of 'asyncore.channel.ssl' until set. */
        public DispatcherSsl() {
            setHandshakeTimeout(null);
        }

        public @Nullable String getBundle() {
            return this.bundle;
        }

        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }

        public TlsSettings.ClientAuth getClientAuth() {
            return this.clientAuth;
        }

        public void setClientAuth(TlsSettings.ClientAuth clientAuth) {
            this.clientAuth = clientAuth;
        }

        public boolean isVerifyHostname() {
            return this.verifyHostname;
        }

        public void setVerifyHostname(boolean verifyHostname) {
            this.verifyHostname = verifyHostname;
        }

    }

    private final Console console = new Console();

    public Console getConsole() {
        return this.console;
    }

    /**
     * The operator's console: a page on the management server, at {@code /asyncore/}, that shows the
     * loops and channels of the {@code channels} actuator endpoint live.
     */
    public static class Console {

        /**
         * Whether to serve the operator's console at '/asyncore/' on the management server (Spring MVC
         * only). It reads the 'channels' actuator endpoint, which must be exposed over the web; its close
         * buttons need 'management.endpoint.channels.access=unrestricted'. Keep the management port
         * internal.
         */
        private boolean enabled;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

    }

}
