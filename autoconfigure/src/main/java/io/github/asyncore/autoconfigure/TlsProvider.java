package io.github.asyncore.autoconfigure;

/**
 * Which engine speaks TLS for the dispatchers that take their TLS from Spring Boot SSL bundles
 * ({@code asyncore.ssl.provider}). The bundle gives the key and trust material either way; the provider
 * decides whose {@link javax.net.ssl.SSLContext}, and so whose {@link javax.net.ssl.SSLEngine}, uses it.
 */
public enum TlsProvider {

    /** The JDK's own engine (the SunJSSE provider): the bundle's context, as Spring Boot builds it. */
    JDK,

    /**
     * Conscrypt's engine, BoringSSL (Google's OpenSSL fork) behind the JSSE API, for handshakes and bulk
     * encryption at OpenSSL's rate: the context is built with Conscrypt's provider from the bundle's key and
     * trust managers. Needs {@code org.conscrypt:conscrypt-openjdk-uber} on the class path, with its native
     * library for the platform.
     */
    CONSCRYPT

}
