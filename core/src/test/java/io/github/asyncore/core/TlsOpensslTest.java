package io.github.asyncore.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Another TLS implementation than the JDK's talks to our TLS echo: OpenSSL's {@code s_client} (Debian's
 * {@code openssl} package, which the build machine must have), verifying our certificate against the test
 * CA and the address it connects to. It also checks the default profile ({@link TlsProfile}) from the
 * outside: TLS 1.3, and TLS 1.2 with OpenSSL's default suites, are served with an AEAD suite; TLS 1.2
 * offering only CBC suites, and TLS 1.1, are refused by our server (counted as failed handshakes there, so
 * the refusal is not OpenSSL's own).
 */
class TlsOpensslTest {

    private static final TestPki pki = TestPki.get();

    private final LoopFixture fixture = LoopFixture.started("tls-openssl");

    private Process process;

    @TempDir
    Path directory;

    @AfterEach
    void close() {
        if (this.process != null) {
            this.process.destroyForcibly();
        }
        this.fixture.close();
    }

    @Test
    void opensslClientEchoesALineThroughOurTlsListener() throws Exception {
        TlsPeers.Listener listener = listen();
        this.process = sClient(listener.port()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(echoLine()).isEqualTo("hello from openssl");
        assertThat(this.fixture.map.snapshot()).filteredOn((channel) -> channel.kind() == ChannelKind.CONNECTION)
            .singleElement()
            .satisfies((channel) -> assertThat(channel.tls().protocol()).isEqualTo("TLSv1.3"));
        assertThat(this.fixture.loop.snapshot().tlsHandshakes()).isEqualTo(1);
    }

    @Test
    void opensslWithTls13OrTls12AndItsDefaultSuitesGetsAnAeadSuiteOfTheProfile() throws Exception {
        TlsPeers.Listener listener = listen();
        this.process = sClient(listener.port(), "-tls1_3").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(echoLine()).isEqualTo("hello from openssl");
        assertThat(connectionTls().protocol()).isEqualTo("TLSv1.3");
        assertThat(connectionTls().cipherSuite()).isIn(TlsProfile.CIPHER_SUITES);
        this.process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        await().atMost(LoopFixture.WAIT).until(() -> this.fixture.map.size() == 1);
        this.process = sClient(listener.port(), "-tls1_2").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(echoLine()).isEqualTo("hello from openssl");
        assertThat(connectionTls().protocol()).isEqualTo("TLSv1.2");
        assertThat(connectionTls().cipherSuite()).isIn(TlsProfile.CIPHER_SUITES).doesNotContain("CBC");
        assertThat(this.fixture.loop.snapshot().tlsHandshakeFailures()).isZero();
    }

    @Test
    void opensslOfferingOnlyCbcSuitesOverTls12IsRefused() throws Exception {
        TlsPeers.Listener listener = listen();
        // AES128-SHA is TLS_RSA_WITH_AES_128_CBC_SHA; ECDHE-ECDSA-AES128-SHA the CBC suite the test key could
        // serve, and which the JDK's own defaults would accept
        assertRefused(listener.port(), 1, "-tls1_2", "-cipher", "AES128-SHA");
        assertRefused(listener.port(), 2, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA");
        assertThat(this.fixture.loop.snapshot().tlsHandshakes()).isZero();
    }

    @Test
    void opensslSpeakingTls11IsRefused() throws Exception {
        TlsPeers.Listener listener = listen();
        // OpenSSL 3 refuses TLS 1.1 itself above security level 0: lower it so that the ClientHello is sent
        assertRefused(listener.port(), 1, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
    }

    private TlsPeers.Listener listen() {
        return this.fixture.onLoop(() -> new TlsPeers.Listener(this.fixture.map,
                TlsSettings.server(TestPki.context(pki.server)), TlsPeers.LineEcho::new));
    }

    /** {@code openssl s_client} against our listener on 127.0.0.1, verifying its certificate, plus the options. */
    private static ProcessBuilder sClient(int port, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-CAfile", pki.pem(pki.ca).toString(), "-verify_return_error", "-verify_ip", "127.0.0.1", "-quiet"));
        command.addAll(List.of(options));
        return new ProcessBuilder(command);
    }

    /**
     * Runs {@code s_client} with the options and its input closed: it must fail, and our server must have
     * counted the failed handshake (so the ClientHello reached it and it said no).
     */
    private void assertRefused(int port, long failuresAfter, String... options) throws Exception {
        Path errors = this.directory.resolve("s_client-" + failuresAfter + ".err");
        this.process = sClient(port, options).redirectError(errors.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        this.process.getOutputStream().close();
        assertThat(this.process.waitFor(20, TimeUnit.SECONDS)).as("s_client %s ended", List.of(options)).isTrue();
        String stderr = Files.readString(errors);
        assertThat(this.process.exitValue()).as("exit status of s_client %s (stderr: %s)", List.of(options), stderr)
            .isNotZero();
        assertThat(stderr).as("s_client %s", List.of(options))
            .containsPattern("alert (handshake failure|protocol version)");
        await().atMost(LoopFixture.WAIT)
            .untilAsserted(() -> assertThat(this.fixture.loop.snapshot().tlsHandshakeFailures())
                .isEqualTo(failuresAfter));
    }

    private TlsStatus connectionTls() {
        return this.fixture.map.snapshot()
            .stream()
            .filter((channel) -> channel.kind() == ChannelKind.CONNECTION)
            .findFirst()
            .orElseThrow()
            .tls();
    }

    /** Sends a line through the running {@code s_client} and returns the line echoed. */
    private String echoLine() throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> echoed = CompletableFuture.supplyAsync(() -> {
            try {
                return lines.readLine();
            }
            catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
        OutputStream in = this.process.getOutputStream();
        in.write("hello from openssl\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        return echoed.get(20, TimeUnit.SECONDS);
    }

}
