package io.github.asyncore.demo.e2e;

import java.net.InetSocketAddress;
import java.nio.file.Path;

import io.github.asyncore.demo.echo.TlsEchoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
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
        int port = ((InetSocketAddress) this.tlsEchoServer.getLocalAddress()).getPort();
        OpensslSClient.assertEchoes(port, directory, "hello from openssl to boringssl");
    }

}
