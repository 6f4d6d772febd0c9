package io.github.asyncore.core;

import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.conscrypt.Conscrypt;

/**
 * {@link TlsEchoTest} with the listeners on Conscrypt's engine (BoringSSL) and the same assertions: the TLS
 * layer works with an engine other than the JDK's, as {@code asyncore.ssl.provider=conscrypt} needs. The
 * clients stay the JDK's.
 */
class TlsEchoConscryptTest extends TlsEchoTest {

    @Override
    SSLContext serverContext(TestPki pki) {
        return conscryptServer(pki);
    }

    /** The server key of the test PKI in a Conscrypt context. */
    static SSLContext conscryptServer(TestPki pki) {
        try {
            KeyStore keyStore = pki.server.keyStore();
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, TestPki.PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS", Conscrypt.newProvider());
            context.init(keys.getKeyManagers(), null, null);
            return context;
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

}
