package io.github.asyncore.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
        try (Socket client = new Socket("127.0.0.1", listener.port())) {
            client.setSoTimeout(TlsPeers.READ_TIMEOUT_MILLIS);
            OutputStream out = client.getOutputStream();
            out.write(tls11ClientHello());
            out.flush();
            byte[] answer = readUntilClosed(client.getInputStream());
            assertThat(answer).hasSizeGreaterThanOrEqualTo(7);
            assertThat(answer[0]).as("record type: alert").isEqualTo((byte) 21);
            assertThat(answer[5]).as("alert level: fatal").isEqualTo((byte) 2);
            assertThat(answer[6]).as("alert: protocol_version").isEqualTo((byte) 70);
        }
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

    /** @return what the server sent until it closed the connection (or reset it) */
    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] chunk = new byte[512];
        try {
            for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
                received.write(chunk, 0, read);
            }
        }
        catch (java.net.SocketException reset) {
            // what arrived before the reset stays
        }
        return received.toByteArray();
    }

    /**
     * A ClientHello as a TLS 1.1 client sends it (RFC 4346): client_version 3.2, no supported_versions
     * extension, two ECDHE CBC suites, the P-256 group. A JDK client cannot send one while its
     * {@code jdk.tls.disabledAlgorithms} names TLSv1.1, so the test writes the bytes itself.
     */
    private static byte[] tls11ClientHello() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] { 3, 2 }); // client_version TLS 1.1
        byte[] random = new byte[32];
        new java.util.Random(11).nextBytes(random);
        body.writeBytes(random);
        body.write(0); // no session id
        // two suites: TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
        body.writeBytes(new byte[] { 0, 4, (byte) 0xC0, 0x09, (byte) 0xC0, 0x13 });
        body.writeBytes(new byte[] { 1, 0 }); // compression: null
        byte[] extensions = { 0x00, 0x0a, 0, 4, 0, 2, 0, 0x17, // supported_groups: secp256r1
                0x00, 0x0b, 0, 2, 1, 0 }; // ec_point_formats: uncompressed
        body.writeBytes(new byte[] { 0, (byte) extensions.length });
        body.writeBytes(extensions);
        int length = body.size();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] { 22, 3, 1, 0, (byte) (length + 4) }); // handshake record, TLS 1.0 framing
        record.writeBytes(new byte[] { 1, 0, 0, (byte) length }); // client_hello
        record.writeBytes(body.toByteArray());
        return record.toByteArray();
    }

}
