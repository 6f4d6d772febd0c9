package io.github.asyncore.core;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The protocols and cipher suites a TLS channel offers unless its {@link TlsSettings} name their own
 * ({@link TlsSettings#withProtocols(String...)}, {@link TlsSettings#withCipherSuites(String...)}): TLS 1.3
 * and TLS 1.2 only, with authenticated encryption (AEAD) only.
 * <p>
 * This is the "intermediate" configuration of Mozilla's Server Side TLS guidelines, the one Mozilla
 * recommends for general-purpose servers, written in the JDK's names: for TLS 1.3 the JDK's three suites
 * (AES-GCM and ChaCha20-Poly1305), for TLS 1.2 ephemeral elliptic-curve Diffie-Hellman (forward secrecy)
 * with AES-GCM or ChaCha20-Poly1305, for certificates with ECDSA or RSA keys. The finite-field {@code DHE}
 * suites the guidelines also allow are left out: their strength depends on the size of the group the
 * server picks, and clients that offer them offer ECDHE as well. Why not the JDK's own defaults: they also
 * offer TLS 1.2 suites in CBC mode (the kind of construction padding-oracle attacks such as Lucky
 * Thirteen went after) and suites without forward secrecy ({@code TLS_RSA_*}), which the profile
 * excludes. TLS 1.1 and older are out, as in the JDK's {@code jdk.tls.disabledAlgorithms}; the profile
 * keeps them out even where that security property was loosened.
 * <p>
 * The lists are filtered to what the engine at hand supports, in the profile's order (the order a server
 * prefers): a JDK without ChaCha20-Poly1305 offers the AES-GCM suites only. The JDK's
 * {@code jdk.tls.disabledAlgorithms} still applies on top. To offer something else (a legacy peer that
 * speaks CBC only, or TLS 1.3 only), name the protocols or suites in the settings, or in a Spring Boot SSL
 * bundle's {@code options}.
 * <p>
 * Stateless; any thread.
 */
public final class TlsProfile {

    /** The protocols of the profile, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * The cipher suites of the profile, in the JDK's names, in the order a server prefers them: the TLS 1.3
     * suites, then the TLS 1.2 ones (ECDSA before RSA for each cipher, as the guidelines list them).
     */
    public static final List<String> CIPHER_SUITES = List.of(
            // TLS 1.3
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            // TLS 1.2
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsProfile() {
    }

    /**
     * @param supported the protocols an engine supports ({@code SSLEngine#getSupportedProtocols()})
     * @return the profile's protocols among them, newest first
     */
    public static String[] protocols(String... supported) {
        return among(PROTOCOLS, supported);
    }

    /**
     * @param supported the cipher suites an engine supports ({@code SSLEngine#getSupportedCipherSuites()})
     * @return the profile's cipher suites among them, in the profile's order
     */
    public static String[] cipherSuites(String... supported) {
        return among(CIPHER_SUITES, supported);
    }

    private static String[] among(List<String> profile, String[] supported) {
        Set<String> available = Set.copyOf(Arrays.asList(supported));
        return profile.stream().filter(available::contains).toArray(String[]::new);
    }

}
