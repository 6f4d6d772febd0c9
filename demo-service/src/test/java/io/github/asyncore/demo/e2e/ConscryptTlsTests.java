package io.github.asyncore.demo.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.asyncore.demo.echo.TlsEchoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's TLS echo on Conscrypt's engine ({@code asyncore.ssl.provider=conscrypt}, BoringSSL inside):
 * the listener's context is Conscrypt's and Debian's {@code openssl s_client}, verifying the development
 * certificate, gets its line echoed, as with the JDK's engine ({@link TlsTests}).
 */
@DemoTest
@TestPropertySource(properties = "asyncore.ssl.provider=conscrypt")
class ConscryptTlsTests {

    @Autowired
    private TlsEchoServer tlsEchoServer;

    @Test
    void theTlsEchoRunsOnConscryptAndOpensslSClientTalksToIt(@TempDir Path directory) throws Exception {
        assertThat(this.tlsEchoServer.getTls().context().getProvider().getName()).isEqualTo("Conscrypt");
        Path ca = directory.resolve("dev-tls.crt");
        try (InputStream certificate = new ClassPathResource("dev-tls/dev-tls.crt").getInputStream()) {
            Files.copy(certificate, ca);
        }
        int port = ((InetSocketAddress) this.tlsEchoServer.getLocalAddress()).getPort();
        Process openssl = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername",
                "localhost", "-CAfile", ca.toString(), "-verify_return_error", "-quiet", "-no_ign_eof")
            .redirectError(directory.resolve("openssl.err").toFile())
            .start();
        try {
            OutputStream in = openssl.getOutputStream();
            in.write("hello from openssl to boringssl\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(openssl.getInputStream(), StandardCharsets.US_ASCII));
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                }
                catch (IOException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            assertThat(line.get(20, TimeUnit.SECONDS)).as("echo through openssl s_client (stderr: %s)",
                    directory.resolve("openssl.err")).isEqualTo("hello from openssl to boringssl");
            in.close(); // end of input: s_client sends close_notify and exits
            assertThat(openssl.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(directory.resolve("openssl.err"))).doesNotContain("verify error");
        }
        finally {
            openssl.destroyForcibly();
        }
    }

}
