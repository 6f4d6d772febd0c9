package io.github.asyncore.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The key and trust material of the TLS echo benchmark, all from one PKCS12 key store holding the
 * server's private key and its self-signed certificate (made by {@code benchmarks/scripts/tls-compare.sh}
 * with keytool). The asyncore server, the Netty reference server and the load generator all read the
 * same file, so every side uses the same key, certificate and JDK provider.
 */
final class TlsMaterial {

    private TlsMaterial() {
    }

    /** Loads a PKCS12 key store. */
    static KeyStore load(Path path, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password);
        }
        return store;
    }

    /** A key manager factory over the key store's private key entry (the server's key and certificate). */
    static KeyManagerFactory keyManagers(Path path, char[] password) throws IOException, GeneralSecurityException {
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(load(path, password), password);
        return factory;
    }

    /** The server side's context (JDK provider): presents the key store's key and certificate. */
    static SSLContext serverContext(Path path, char[] password) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(path, password).getKeyManagers(), null, null);
        return context;
    }

    /** The client side's context: trusts the certificate of the key store's entry, and nothing else. */
    static SSLContext clientContext(Path path, char[] password) throws IOException, GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(path, password));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

}
