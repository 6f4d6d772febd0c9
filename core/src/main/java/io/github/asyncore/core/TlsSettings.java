package io.github.asyncore.core;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * How a stream channel speaks TLS, set on a dispatcher with {@link Dispatcher#setTls(TlsSettings)}: the
 * JDK {@link SSLContext} that holds the key and trust material, which side of the handshake this end
 * takes, and the checks it makes. A listener with TLS settings hands them to the connections it accepts,
 * as it hands them its {@link ChannelSettings}.
 *
 * <pre>{@code
 * listener.setTls(TlsSettings.server(sslContext).withClientAuth(TlsSettings.ClientAuth.NEED));
 * client.setTls(TlsSettings.client(sslContext)); // verifies the server's certificate against the host name
 * client.connect(new InetSocketAddress("device.example.com", 8443));
 * }</pre>
 *
 * A client verifies that the server's certificate names the host it connects to (the host name of the
 * address given to {@link Dispatcher#connect(SocketAddress)}, or {@link #withPeerHost(String)}), and sends
 * that name for SNI; switch that off only for tests. Both sides offer the protocols and cipher suites of
 * {@link TlsProfile} (TLS 1.3 and 1.2, AEAD suites only: Mozilla's "intermediate" profile) unless the
 * settings name their own with {@link #withProtocols(String...)} or {@link #withCipherSuites(String...)};
 * each of the two is taken from the settings when named there, else from the profile. Every new
 * connection gets a new {@link SSLEngine} from the context, so replacing the settings of a listener (for
 * example after its certificate was renewed) applies to the connections it accepts from then on.
 * <p>
 * What a dispatcher with these settings does: its handlers do not change ({@code recv} gives plaintext,
 * {@code send} takes plaintext, {@code readable()} and {@code writable()} keep their meaning), and the
 * layer runs the handshake and reads or writes ciphertext as it needs, whatever the handlers asked for. A
 * listener's settings apply to the connections it accepts from then on; a client's must be set before it
 * connects, and its {@code handleConnect()} runs once the handshake has finished, so that the first send
 * travels encrypted (a {@link BufferedDispatcher} queues earlier sends); an adopted connection starts its
 * handshake at once. A handshake that fails or times out ({@link #handshakeTimeout()}) reaches
 * {@code handleError} with an {@link javax.net.ssl.SSLException}, and a peer that closes during the
 * handshake reaches {@code handleClose}; either way the channel is then closed, whatever the handler did
 * (a {@code recv} or {@code send} that noticed it returns as at end-of-stream). A TLS 1.2 renegotiation is
 * refused like a failed handshake. Closing sends close_notify if the socket takes it at once (it never waits); a
 * half-close sends close_notify before the end-of-stream.
 * <p>
 * Immutable and safe to share between threads; change one value with the {@code with...} methods.
 */
public final class TlsSettings {

    /** A handshake not finished after 10 seconds fails. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /** Whether a server asks its clients for a certificate. */
    public enum ClientAuth {

        /** The server does not ask for a client certificate. */
        NONE,

        /** The server asks for a client certificate; a client without one is accepted. */
        WANT,

        /** The server requires a trusted client certificate; a client without one fails the handshake. */
        NEED

    }

    private final SSLContext context;

    private final boolean clientMode;

    private final ClientAuth clientAuth;

    private final boolean hostnameVerification;

    private final String peerHost;

    private final Duration handshakeTimeout;

    private final String[] protocols;

    private final String[] cipherSuites;

    /**
     * The profile's protocols and cipher suites that the context supports, worked out at the first engine
     * (the context's support does not change), so that a new connection does not filter the lists again.
     */
    private volatile String[][] profile;

    private TlsSettings(SSLContext context, boolean clientMode, ClientAuth clientAuth, boolean hostnameVerification,
            String peerHost, Duration handshakeTimeout, String[] protocols, String[] cipherSuites) {
        this.context = Objects.requireNonNull(context, "context");
        this.clientMode = clientMode;
        this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
        this.hostnameVerification = hostnameVerification;
        this.peerHost = peerHost;
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (handshakeTimeout.isNegative()) {
            throw new IllegalArgumentException("handshake-timeout must not be negative, was " + handshakeTimeout);
        }
        this.handshakeTimeout = handshakeTimeout;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
    }

    /**
     * The server side: the context's key material is presented to clients; no client certificate is asked
     * for until {@link #withClientAuth(ClientAuth)}.
     * @param context the key (and, for client authentication, trust) material
     * @return server settings with a 10 s handshake timeout and the protocols and cipher suites of
     *         {@link TlsProfile}
     */
    public static TlsSettings server(SSLContext context) {
        return new TlsSettings(context, false, ClientAuth.NONE, false, null, DEFAULT_HANDSHAKE_TIMEOUT, null, null);
    }

    /**
     * The client side: the server's certificate is checked against the context's trust material and the
     * host name the client connects to.
     * @param context the trust (and, for client authentication, key) material
     * @return client settings with host-name verification on, a 10 s handshake timeout and the protocols
     *         and cipher suites of {@link TlsProfile}
     */
    public static TlsSettings client(SSLContext context) {
        return new TlsSettings(context, true, ClientAuth.NONE, true, null, DEFAULT_HANDSHAKE_TIMEOUT, null, null);
    }

    /**
     * @param clientAuth whether a server asks for client certificates; ignored by clients
     * @return a copy with the client authentication replaced
     */
    public TlsSettings withClientAuth(ClientAuth clientAuth) {
        return new TlsSettings(this.context, this.clientMode, clientAuth, this.hostnameVerification, this.peerHost,
                this.handshakeTimeout, this.protocols, this.cipherSuites);
    }

    /**
     * @param hostnameVerification whether a client checks that the server's certificate names the host it
     *        connects to (HTTPS rules, RFC 2818); ignored by servers
     * @return a copy with host-name verification switched on or off
     */
    public TlsSettings withHostnameVerification(boolean hostnameVerification) {
        return new TlsSettings(this.context, this.clientMode, this.clientAuth, hostnameVerification, this.peerHost,
                this.handshakeTimeout, this.protocols, this.cipherSuites);
    }

    /**
     * @param peerHost the host name a client sends for SNI and expects in the server's certificate, or
     *        {@code null} for the host of the address it connects to; ignored by servers
     * @return a copy with the peer host replaced
     */
    public TlsSettings withPeerHost(String peerHost) {
        return new TlsSettings(this.context, this.clientMode, this.clientAuth, this.hostnameVerification, peerHost,
                this.handshakeTimeout, this.protocols, this.cipherSuites);
    }

    /**
     * @param handshakeTimeout how long a handshake may take, measured from the TCP connection, before the
     *        channel fails with an {@link javax.net.ssl.SSLHandshakeException}; zero for no limit
     * @return a copy with the handshake timeout replaced
     */
    public TlsSettings withHandshakeTimeout(Duration handshakeTimeout) {
        return new TlsSettings(this.context, this.clientMode, this.clientAuth, this.hostnameVerification,
                this.peerHost, handshakeTimeout, this.protocols, this.cipherSuites);
    }

    /**
     * Names the protocols to offer instead of the profile's, as given: this may loosen the profile (a
     * legacy peer) or tighten it (TLS 1.3 only). The JDK's {@code jdk.tls.disabledAlgorithms} still
     * applies.
     * @param protocols the protocols to enable, in the JDK's names, for example {@code "TLSv1.3"}; none
     *        (or {@code null}) for the protocols of {@link TlsProfile}
     * @return a copy with the enabled protocols replaced
     * @throws IllegalArgumentException when a name is {@code null} or blank, or the context does not
     *         support it
     */
    public TlsSettings withProtocols(String... protocols) {
        String[] named = orNull(protocols);
        if (named != null) {
            checkSupported("protocol", named, this.context.getSupportedSSLParameters().getProtocols(),
                    "the JDK's names, such as TLSv1.3 or TLSv1.2");
        }
        return new TlsSettings(this.context, this.clientMode, this.clientAuth, this.hostnameVerification,
                this.peerHost, this.handshakeTimeout, named, this.cipherSuites);
    }

    /**
     * Names the cipher suites to offer instead of the profile's, as given: this may loosen the profile
     * (for example a CBC suite for a legacy peer) or tighten it. The JDK's
     * {@code jdk.tls.disabledAlgorithms} still applies.
     * @param cipherSuites the cipher suites to enable, in the JDK's names (the IANA names, such as
     *        {@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}, not OpenSSL's); none (or {@code null}) for the
     *        cipher suites of {@link TlsProfile}
     * @return a copy with the enabled cipher suites replaced
     * @throws IllegalArgumentException when a name is {@code null} or blank, or the context does not
     *         support it
     */
    public TlsSettings withCipherSuites(String... cipherSuites) {
        String[] named = orNull(cipherSuites);
        if (named != null) {
            checkSupported("cipher suite", named, this.context.getSupportedSSLParameters().getCipherSuites(),
                    "the JDK's names, such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        }
        return new TlsSettings(this.context, this.clientMode, this.clientAuth, this.hostnameVerification,
                this.peerHost, this.handshakeTimeout, this.protocols, named);
    }

    /** @return the context every connection's engine comes from */
    public SSLContext context() {
        return this.context;
    }

    /** @return whether this end starts the handshake as a client */
    public boolean isClientMode() {
        return this.clientMode;
    }

    /** @return whether a server asks for client certificates */
    public ClientAuth clientAuth() {
        return this.clientAuth;
    }

    /** @return whether a client checks the server's certificate against the host name */
    public boolean hostnameVerification() {
        return this.hostnameVerification;
    }

    /** @return the host name a client uses for SNI and verification, or {@code null} for the connect address's */
    public String peerHost() {
        return this.peerHost;
    }

    /** @return how long a handshake may take; zero for no limit */
    public Duration handshakeTimeout() {
        return this.handshakeTimeout;
    }

    /**
     * @return a copy of the protocols named with {@link #withProtocols(String...)}, or {@code null} for the
     *         profile's
     */
    public String[] protocols() {
        return (this.protocols != null) ? this.protocols.clone() : null;
    }

    /**
     * @return a copy of the cipher suites named with {@link #withCipherSuites(String...)}, or {@code null}
     *         for the profile's
     */
    public String[] cipherSuites() {
        return (this.cipherSuites != null) ? this.cipherSuites.clone() : null;
    }

    /**
     * Creates the engine of one connection, configured as these settings say (mode, protocols, suites,
     * client authentication, peer host for verification and SNI). Channels call it when their handshake
     * begins; it is public so that the channel machinery, which lives in another package, can. Any thread.
     * @param peer the peer's address (a client's connect address, unresolved or not), or {@code null}
     * @return a new engine
     */
    public SSLEngine newEngine(SocketAddress peer) {
        SSLEngine engine;
        String host = this.peerHost;
        int port = -1;
        if (peer instanceof InetSocketAddress inet) {
            port = inet.getPort();
            if (host == null) {
                host = inet.getHostString(); // never a reverse lookup
            }
        }
        engine = (this.clientMode && host != null) ? this.context.createSSLEngine(host, port)
                : this.context.createSSLEngine();
        engine.setUseClientMode(this.clientMode);
        SSLParameters parameters = engine.getSSLParameters();
        if (this.clientMode) {
            if (this.hostnameVerification) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
        }
        else {
            parameters.setNeedClientAuth(this.clientAuth == ClientAuth.NEED);
            if (this.clientAuth == ClientAuth.WANT) {
                parameters.setWantClientAuth(true);
            }
        }
        String[][] supported = profile(engine);
        parameters.setProtocols((this.protocols != null) ? this.protocols : supported[0]);
        parameters.setCipherSuites((this.cipherSuites != null) ? this.cipherSuites : supported[1]);
        engine.setSSLParameters(parameters);
        return engine;
    }

    @Override
    public String toString() {
        return "TlsSettings[" + (this.clientMode ? "client, hostnameVerification=" + this.hostnameVerification
                : "server, clientAuth=" + this.clientAuth) + ", handshakeTimeout=" + this.handshakeTimeout
                + ((this.protocols != null) ? ", protocols=" + Arrays.toString(this.protocols) : "")
                + ((this.cipherSuites != null) ? ", cipherSuites=" + Arrays.toString(this.cipherSuites) : "")
                + "]";
    }

    private static String[] orNull(String[] values) {
        return (values == null || values.length == 0) ? null : values.clone();
    }

    /** @return the profile's protocols and cipher suites among those the engine (and its context) supports */
    private String[][] profile(SSLEngine engine) {
        String[][] supported = this.profile;
        if (supported == null) {
            supported = new String[][] { TlsProfile.protocols(engine.getSupportedProtocols()),
                    TlsProfile.cipherSuites(engine.getSupportedCipherSuites()) };
            this.profile = supported; // a race computes the same lists twice, harmlessly
        }
        return supported;
    }

    private static void checkSupported(String what, String[] named, String[] supported, String hint) {
        List<String> available = Arrays.asList(supported);
        for (String name : named) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a TLS " + what + " name must not be empty, was "
                        + Arrays.toString(named));
            }
            if (!available.contains(name)) {
                throw new IllegalArgumentException("TLS " + what + " '" + name
                        + "' is not supported by the SSL context (" + hint + ")");
            }
        }
    }

}
