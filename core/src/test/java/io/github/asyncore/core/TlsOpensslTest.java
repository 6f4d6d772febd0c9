package io.github.asyncore.core;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another TLS implementation than the JDK's talks to our TLS echo: OpenSSL's {@code s_client} (Debian's
 * {@code openssl} package, which the build machine must have), verifying our certificate against the test
 * CA and the address it connects to.
 */
class TlsOpensslTest {

    private static final TestPki pki = TestPki.get();

    private final LoopFixture fixture = LoopFixture.started("tls-openssl");

    private Process process;

    @AfterEach
    void close() {
        if (this.process != null) {
            this.process.destroyForcibly();
        }
        this.fixture.close();
    }

    @Test
    void opensslClientEchoesALineThroughOurTlsListener() throws Exception {
        TlsPeers.Listener listener = this.fixture.onLoop(() -> new TlsPeers.Listener(this.fixture.map,
                TlsSettings.server(TestPki.context(pki.server)), TlsPeers.LineEcho::new));
        this.process = new ProcessBuilder(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + listener.port(),
                "-CAfile", pki.pem(pki.ca).toString(), "-verify_return_error", "-verify_ip", "127.0.0.1", "-quiet"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
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
        assertThat(echoed.get(20, TimeUnit.SECONDS)).isEqualTo("hello from openssl");
        assertThat(this.fixture.map.snapshot()).filteredOn((channel) -> channel.kind() == ChannelKind.CONNECTION)
            .singleElement()
            .satisfies((channel) -> assertThat(channel.tls().protocol()).isEqualTo("TLSv1.3"));
        assertThat(this.fixture.loop.snapshot().tlsHandshakes()).isEqualTo(1);
    }

}
