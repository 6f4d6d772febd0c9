package io.github.asyncore.autoconfigure;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import org.conscrypt.Conscrypt;
import org.jspecify.annotations.Nullable;

/**
 * Conscrypt's JSSE provider and the contexts made with it. A class of its own so that Conscrypt's classes
 * load only when {@code asyncore.ssl.provider=conscrypt} asks for them (Conscrypt is an optional
 * dependency): check that {@code org.conscrypt.Conscrypt} is present before calling it.
 * <p>
 * Two differences from the JDK's engine are evened out here, so that a bundle behaves the same on both:
 * <ul>
 * <li>Conscrypt's engines issue no session tickets unless told to, so a TLS 1.3 client could never resume
 * its session with a Conscrypt listener; the JDK's listener issues them. Every engine of a context made
 * here has tickets on ({@link Conscrypt#setUseSessionTickets(SSLEngine, boolean)}).</li>
 * <li>In TLS 1.3 BoringSSL names the key exchange {@code GENERIC}, which the JDK's trust managers (those
 * of Spring Boot's bundles) reject as an unknown auth type, failing every TLS 1.3 handshake of a Conscrypt
 * client (google/conscrypt#1033). The bundle's trust managers are given {@code UNKNOWN} instead, the name
 * the JDK itself passes for TLS 1.3 (Netty maps it the same way: netty-incubator-codec-quic#816).</li>
 * </ul>
 */
final class ConscryptProvider {

    private ConscryptProvider() {
    }

    /**
     * A new provider, not registered with {@link java.security.Security}: the JVM's defaults stay the JDK's.
     * @return Conscrypt's provider
     * @throws AsyncoreConfigurationException when Conscrypt's native library does not load on this platform
     */
    static Provider newProvider() {
        if (!Conscrypt.isAvailable()) {
            throw AsyncoreConfigurationException.conscryptUnavailable(unavailability());
        }
        return Conscrypt.newProvider();
    }

    /**
     * A context of Conscrypt's whose engines issue session tickets, with the given managers.
     * @param provider a provider from {@link #newProvider()}
     * @param protocol the context's protocol ({@code TLS} unless a bundle says otherwise)
     * @param keyManagers the key managers, or {@code null}
     * @param trustManagers the trust managers, or {@code null}
     * @return the initialised context
     * @throws GeneralSecurityException when Conscrypt does not offer the protocol or refuses the managers
     */
    static SSLContext newContext(Provider provider, String protocol, KeyManager @Nullable [] keyManagers,
            TrustManager @Nullable [] trustManagers) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance(protocol, provider);
        context.init(keyManagers, (trustManagers != null) ? Arrays.stream(trustManagers)
            .map(ConscryptProvider::acceptingGeneric)
            .toArray(TrustManager[]::new) : null, null);
        return new TicketsContext(context);
    }

    /** Why the native library did not load, as Conscrypt recorded it. */
    private static @Nullable Throwable unavailability() {
        try {
            Conscrypt.checkAvailability();
            return null;
        }
        catch (Throwable ex) { // an UnsatisfiedLinkError (an Error) is what it throws
            return ex;
        }
    }

    private static TrustManager acceptingGeneric(TrustManager trustManager) {
        return (trustManager instanceof X509ExtendedTrustManager extended && !Conscrypt.isConscrypt(trustManager))
                ? new GenericAuthTypeTrustManager(extended) : trustManager;
    }

    /** Conscrypt's context, with session tickets on in every engine it makes. */
    private static final class TicketsContext extends SSLContext {

        TicketsContext(SSLContext conscrypt) {
            super(new TicketsContextSpi(conscrypt), conscrypt.getProvider(), conscrypt.getProtocol());
        }

    }

    private static final class TicketsContextSpi extends SSLContextSpi {

        private final SSLContext conscrypt;

        TicketsContextSpi(SSLContext conscrypt) {
            this.conscrypt = conscrypt;
        }

        @Override
        protected void engineInit(KeyManager[] keyManagers, TrustManager[] trustManagers, SecureRandom random)
                throws KeyManagementException {
            this.conscrypt.init(keyManagers, trustManagers, random);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return withTickets(this.conscrypt.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return withTickets(this.conscrypt.createSSLEngine(host, port));
        }

        private static SSLEngine withTickets(SSLEngine engine) {
            Conscrypt.setUseSessionTickets(engine, true);
            return engine;
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return this.conscrypt.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return this.conscrypt.getServerSocketFactory();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return this.conscrypt.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return this.conscrypt.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return this.conscrypt.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return this.conscrypt.getSupportedSSLParameters();
        }

    }

    /** A JDK trust manager that is told {@code UNKNOWN} where BoringSSL says {@code GENERIC} (TLS 1.3). */
    private static final class GenericAuthTypeTrustManager extends X509ExtendedTrustManager {

        private final X509ExtendedTrustManager delegate;

        GenericAuthTypeTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        private static String authType(String authType) {
            return "GENERIC".equals(authType) ? "UNKNOWN" : authType;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            this.delegate.checkClientTrusted(chain, authType(authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            this.delegate.checkClientTrusted(chain, authType(authType), socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            this.delegate.checkClientTrusted(chain, authType(authType), engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            this.delegate.checkServerTrusted(chain, authType(authType));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            this.delegate.checkServerTrusted(chain, authType(authType), socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            this.delegate.checkServerTrusted(chain, authType(authType), engine);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return this.delegate.getAcceptedIssuers();
        }

    }

}
