package io.github.asyncore.core;

import java.net.InetSocketAddress;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** What {@link TlsSettings} asks of the engines it makes. */
class TlsSettingsTest {

    private final SSLContext context = defaultContext();

    @Test
    void aClientVerifiesTheHostOfTheAddressItConnectsToByDefault() {
        TlsSettings client = TlsSettings.client(this.context);
        assertThat(client.hostnameVerification()).isTrue();
        assertThat(client.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        SSLEngine engine = client.newEngine(InetSocketAddress.createUnresolved("device.example.com", 8443));
        assertThat(engine.getUseClientMode()).isTrue();
        assertThat(engine.getPeerHost()).isEqualTo("device.example.com");
        assertThat(engine.getPeerPort()).isEqualTo(8443);
        assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
    }

    @Test
    void aClientMayVerifyAnotherNameThanTheAddressOrNone() {
        SSLEngine named = TlsSettings.client(this.context)
            .withPeerHost("device.example.com")
            .newEngine(new InetSocketAddress("127.0.0.1", 8443));
        assertThat(named.getPeerHost()).isEqualTo("device.example.com");
        SSLEngine unchecked = TlsSettings.client(this.context)
            .withHostnameVerification(false)
            .newEngine(new InetSocketAddress("127.0.0.1", 8443));
        assertThat(unchecked.getSSLParameters().getEndpointIdentificationAlgorithm()).isNull();
    }

    @Test
    void aServerAsksForClientCertificatesAsConfigured() {
        assertThat(TlsSettings.server(this.context).newEngine(null).getUseClientMode()).isFalse();
        SSLEngine need = TlsSettings.server(this.context).withClientAuth(TlsSettings.ClientAuth.NEED).newEngine(null);
        assertThat(need.getNeedClientAuth()).isTrue();
        SSLEngine want = TlsSettings.server(this.context).withClientAuth(TlsSettings.ClientAuth.WANT).newEngine(null);
        assertThat(want.getWantClientAuth()).isTrue();
        assertThat(want.getNeedClientAuth()).isFalse();
        SSLEngine none = TlsSettings.server(this.context).newEngine(null);
        assertThat(none.getWantClientAuth()).isFalse();
        assertThat(none.getNeedClientAuth()).isFalse();
    }

    @Test
    void protocolsAndCipherSuitesAreRestrictedOnlyWhenGiven() {
        SSLEngine engine = TlsSettings.server(this.context)
            .withProtocols("TLSv1.3")
            .withCipherSuites("TLS_AES_128_GCM_SHA256")
            .newEngine(null);
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3");
        assertThat(engine.getEnabledCipherSuites()).containsExactly("TLS_AES_128_GCM_SHA256");
        assertThat(TlsSettings.server(this.context).protocols()).isNull();
        assertThat(TlsSettings.server(this.context).withProtocols().protocols()).isNull();
    }

    @Test
    void bothSidesOfferTheProfileUnlessTheSettingsNameTheirOwn() {
        String[] supported = this.context.getSupportedSSLParameters().getCipherSuites();
        TlsSettings[] sides = { TlsSettings.server(this.context), TlsSettings.client(this.context) };
        for (TlsSettings settings : sides) {
            SSLEngine engine = settings.newEngine(new InetSocketAddress("127.0.0.1", 8443));
            assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
            assertThat(engine.getEnabledCipherSuites()).containsExactly(TlsProfile.cipherSuites(supported))
                .noneMatch((suite) -> suite.contains("CBC"));
        }
        SSLEngine suitesNamed = TlsSettings.server(this.context)
            .withCipherSuites("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_AES_128_GCM_SHA256")
            .newEngine(null);
        assertThat(suitesNamed.getEnabledCipherSuites()).containsExactly("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                "TLS_AES_128_GCM_SHA256");
        assertThat(suitesNamed.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        SSLEngine protocolsNamed = TlsSettings.server(this.context).withProtocols("TLSv1.3").newEngine(null);
        assertThat(protocolsNamed.getEnabledProtocols()).containsExactly("TLSv1.3");
        assertThat(protocolsNamed.getEnabledCipherSuites()).containsExactly(TlsProfile.cipherSuites(supported));
    }

    @Test
    void namesTheContextDoesNotSupportAreRefusedWhenGiven() {
        TlsSettings server = TlsSettings.server(this.context);
        assertThatIllegalArgumentException().isThrownBy(() -> server.withCipherSuites("ECDHE-RSA-AES128-GCM-SHA256"))
            .withMessage("TLS cipher suite 'ECDHE-RSA-AES128-GCM-SHA256' is not supported by the SSL context (the"
                    + " JDK's names, such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)");
        assertThatIllegalArgumentException().isThrownBy(() -> server.withProtocols("TLSv1.2", "TLS1.3"))
            .withMessageContaining("TLS protocol 'TLS1.3' is not supported");
        assertThatIllegalArgumentException().isThrownBy(() -> server.withProtocols("TLSv1.3", " "))
            .withMessageContaining("must not be empty");
        assertThat(server.withCipherSuites((String[]) null).cipherSuites()).isNull();
        assertThat(server.withProtocols("TLSv1.1").protocols()).as("loosening is the caller's choice")
            .containsExactly("TLSv1.1");
    }

    @Test
    void aNegativeHandshakeTimeoutIsRefused() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> TlsSettings.server(this.context).withHandshakeTimeout(Duration.ofSeconds(-1)))
            .withMessageContaining("handshake-timeout");
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        }
        catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
