package io.github.asyncore.demo.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's {@code openssl s_client} as a TLS echo's peer: it verifies the demo's development certificate,
 * sends one line and must read it back, then ends its input (close_notify) and exits, every wait bounded.
 */
final class OpensslSClient {

    private OpensslSClient() {
    }

    /**
     * @param port the TLS echo's port on 127.0.0.1
     * @param directory where to put the CA file and s_client's stderr
     * @param line what to send, without the line end
     */
    static void assertEchoes(int port, Path directory, String line) throws Exception {
        Path ca = directory.resolve("dev-tls.crt");
        try (InputStream certificate = new ClassPathResource("dev-tls/dev-tls.crt").getInputStream()) {
            Files.copy(certificate, ca);
        }
        Process openssl = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername",
                "localhost", "-CAfile", ca.toString(), "-verify_return_error", "-quiet", "-no_ign_eof")
            .redirectError(directory.resolve("openssl.err").toFile())
            .start();
        try {
            OutputStream in = openssl.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(openssl.getInputStream(), StandardCharsets.US_ASCII));
            CompletableFuture<String> echoed = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                }
                catch (IOException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            assertThat(echoed.get(20, TimeUnit.SECONDS)).as("echo through openssl s_client (stderr: %s)",
                    directory.resolve("openssl.err")).isEqualTo(line);
            in.close(); // end of input: s_client sends close_notify and exits
            assertThat(openssl.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(directory.resolve("openssl.err"))).doesNotContain("verify error");
        }
        finally {
            openssl.destroyForcibly();
        }
    }

}
