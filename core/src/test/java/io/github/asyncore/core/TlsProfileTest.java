package io.github.asyncore.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The default TLS profile over loopback: our listener, whose settings name no protocols or suites, serves
 * JDK clients on TLS 1.3 and on TLS 1.2 with an AEAD suite, and refuses a TLS 1.2 client that offers only
 * a CBC suite and a TLS 1.1 ClientHello; settings that name a CBC suite let it in again. The test key is
 * an EC (secp256r1) key, so the TLS 1.2 suites that can meet it are the {@code ECDHE_ECDSA} ones.
 */
class TlsProfileTest {

    /** A TLS 1.2 suite the JDK supports and enables by default, and the profile leaves out. */
    private static final String CBC_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";

    private static final TestPki pki = TestPki.get();

    private final LoopFixture fixture = LoopFixture.started("tls-profile");

    private final SSLContext serverContext = TestPki.context(pki.server);

    private final SSLContext clientContext = TestPki.context(null, pki.ca);

    @AfterEach
    void close() {
        this.fixture.close();
    }

    @Test
    void theProfileOffersOnlyAeadSuitesAndThisJdkSupportsSomeOfEachProtocol() {
        assertThat(TlsProfile.CIPHER_SUITES).isNotEmpty()
            .allSatisfy((suite) -> assertThat(suite).containsAnyOf("_GCM_", "_CHACHA20_POLY1305_")
                .doesNotContain("CBC")
                .matches("TLS_(AES|CHACHA20)_.*|TLS_ECDHE_(ECDSA|RSA)_WITH_.*"));
        String[] supported = this.serverContext.createSSLEngine().getSupportedCipherSuites();
        String[] offered = TlsProfile.cipherSuites(supported);
        assertThat(offered).isNotEmpty().isSubsetOf(TlsProfile.CIPHER_SUITES).isSubsetOf(supported);
        assertThat(offered).anyMatch((suite) -> suite.startsWith("TLS_AES_"))
            .anyMatch((suite) -> suite.startsWith("TLS_ECDHE_ECDSA_"))
            .anyMatch((suite) -> suite.startsWith("TLS_ECDHE_RSA_"));
        assertThat(TlsProfile.protocols(this.serverContext.createSSLEngine().getSupportedProtocols()))
            .containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(Arrays.asList(this.serverContext.createSSLEngine().getEnabledCipherSuites()))
            .as("the JDK's own defaults, which the profile narrows")
            .contains(CBC_SUITE);
    }

    @Test
    void aJdkWithoutChaCha20GetsTheAesGcmSuitesInTheProfilesOrder() {
        String[] withoutChaCha = TlsProfile.CIPHER_SUITES.stream()
            .filter((suite) -> !suite.contains("CHACHA20"))
            .toArray(String[]::new);
        List<String> reversed = new ArrayList<>(Arrays.asList(withoutChaCha));
        java.util.Collections.reverse(reversed);
        reversed.add(CBC_SUITE);
        assertThat(TlsProfile.cipherSuites(reversed.toArray(String[]::new))).containsExactly(withoutChaCha);
        assertThat(TlsProfile.protocols("TLSv1.2", "TLSv1.1")).containsExactly("TLSv1.2");
    }

    @Test
    void tls13IsServed() throws Exception {
        TlsPeers.Listener listener = listen(TlsSettings.server(this.serverContext));
        try (SSLSocket client = TlsPeers.jdkClient(this.clientContext, listener.port(), (parameters) -> {
            parameters.setProtocols(new String[] { "TLSv1.3" });
            return parameters;
        })) {
            assertEchoes(client);
            assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(client.getSession().getCipherSuite()).isIn(TlsProfile.CIPHER_SUITES);
        }
    }

    static Stream<String> tls12SuitesForTheTestKey() {
        String[] supported = TestPki.context(null).createSSLEngine().getSupportedCipherSuites();
        return Arrays.stream(TlsProfile.cipherSuites(supported))
            .filter((suite) -> suite.startsWith("TLS_ECDHE_ECDSA_"));
    }

    @ParameterizedTest
    @MethodSource("tls12SuitesForTheTestKey")
    void tls12WithAnAeadSuiteOfTheProfileIsServed(String suite) throws Exception {
        TlsPeers.Listener listener = listen(TlsSettings.server(this.serverContext));
        try (SSLSocket client = tls12Client(listener.port(), suite)) {
            assertEchoes(client);
            assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(client.getSession().getCipherSuite()).isEqualTo(suite);
        }
        assertThat(this.fixture.loop.snapshot().tlsHandshakeFailures()).isZero();
    }

    @Test
    void aTls12ClientThatOffersOnlyACbcSuiteIsRefused() throws Exception {
        TlsPeers.Listener listener = listen(TlsSettings.server(this.serverContext));
        try (SSLSocket client = tls12Client(listener.port(), CBC_SUITE)) {
            assertThatExceptionOfType(SSLException.class).isThrownBy(client::startHandshake)
                .withMessageContaining("handshake_failure");
        }
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.loop.snapshot().tlsHandshakeFailures() == 1);
        assertThat(this.fixture.loop.snapshot().tlsHandshakes()).isZero();
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.map.size() == 1);
    }

    @Test
    void aTls11ClientHelloIsAnsweredWithAProtocolVersionAlertAndClosed() throws Exception {
        TlsPeers.Listener listener = listen(TlsSettings.server(this.serverContext));
        byte[] answer = Tls11ClientHello.sendTo(listener.port());
        assertThat(Tls11ClientHello.isProtocolVersionAlert(answer)).as("a protocol_version alert: %s",
                Arrays.toString(answer)).isTrue();
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.loop.snapshot().tlsHandshakeFailures() == 1);
    }

    @Test
    void settingsThatNameACbcSuiteLetSuchAClientInAgain() throws Exception {
        String[] supported = this.serverContext.createSSLEngine().getSupportedCipherSuites();
        String[] loosened = Stream.concat(Arrays.stream(TlsProfile.cipherSuites(supported)), Stream.of(CBC_SUITE))
            .toArray(String[]::new);
        TlsPeers.Listener listener = listen(TlsSettings.server(this.serverContext).withCipherSuites(loosened));
        try (SSLSocket client = tls12Client(listener.port(), CBC_SUITE)) {
            assertEchoes(client);
            assertThat(client.getSession().getCipherSuite()).isEqualTo(CBC_SUITE);
        }
        try (SSLSocket client = TlsPeers.jdkClient(this.clientContext, listener.port())) {
            assertEchoes(client);
            assertThat(client.getSession().getCipherSuite()).isIn(TlsProfile.CIPHER_SUITES);
        }
    }

    @Test
    void ourClientOffersTheProfileToo() throws Exception {
        TlsPeers.Listener cbcOnly = listen(TlsSettings.server(this.serverContext)
            .withProtocols("TLSv1.2")
            .withCipherSuites(CBC_SUITE));
        byte[] message = "only CBC over there".getBytes(StandardCharsets.UTF_8);
        TlsPeers.Client client = this.fixture.onLoop(() -> {
            TlsPeers.Client created = new TlsPeers.Client(this.fixture.map, TlsSettings.client(this.clientContext),
                    message);
            created.connect(new InetSocketAddress("127.0.0.1", cbcOnly.port()));
            return created;
        });
        assertThatExceptionOfType(ExecutionException.class)
            .isThrownBy(() -> client.connected.get(10, TimeUnit.SECONDS))
            .withCauseInstanceOf(SSLException.class);
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.loop.snapshot().tlsHandshakeFailures() == 2);
    }

    private TlsPeers.Listener listen(TlsSettings settings) {
        return this.fixture.onLoop(() -> new TlsPeers.Listener(this.fixture.map, settings, TlsPeers.Echo::new));
    }

    private SSLSocket tls12Client(int port, String suite) throws IOException {
        return TlsPeers.jdkClient(this.clientContext, port, (parameters) -> {
            parameters.setProtocols(new String[] { "TLSv1.2" });
            parameters.setCipherSuites(new String[] { suite });
            return parameters;
        });
    }

    private static void assertEchoes(SSLSocket client) throws IOException {
        client.getOutputStream().write("profile".getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().flush();
        assertThat(new String(client.getInputStream().readNBytes(7), StandardCharsets.UTF_8)).isEqualTo("profile");
    }

}
