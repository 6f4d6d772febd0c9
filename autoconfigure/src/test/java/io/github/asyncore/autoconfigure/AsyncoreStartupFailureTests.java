package io.github.asyncore.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.nio.file.Path;

import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.SocketType;
import io.github.asyncore.core.TestPki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** What a user sees when asyncore cannot start: a failure analysis, not a stack trace to decode. */
@ExtendWith(OutputCaptureExtension.class)
class AsyncoreStartupFailureTests {

    @Test
    void aListenerOnAPortInUseFailsWithAnAnalysisNamingTheBeanAndTheAddress(CapturedOutput output) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"))) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            assertThatException().isThrownBy(() -> run("--asyncore.dispatchers.echoServer.address=" + address));
            assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Dispatcher bean 'echoServer' could not open its socket at " + address)
                .contains("Address already in use")
                .contains("Stop the process that already uses " + address)
                .contains("'asyncore.dispatchers.echoServer.address'");
        }
    }

    @Test
    void anUnknownHostFailsWithAnAnalysisNamingTheProperty(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run("--asyncore.dispatchers.echoServer.address=no-such-host.invalid:7007"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Property: asyncore.dispatchers.echoServer.address")
            .contains("unknown host 'no-such-host.invalid'");
    }

    @Test
    void invalidValuesAreListedWithTheirPropertyNames(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run("--asyncore.loop.threads=0",
                "--asyncore.channel.write-buffer-low-water-mark=128KB", "--asyncore.dispatchers.echoServer.backlog=0"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Property: asyncore.loop.threads")
            .contains("Property: asyncore.channel.write-buffer-low-water-mark")
            .contains("must not be above the write buffer high water mark (65536 bytes)")
            .contains("Property: asyncore.dispatchers.echoServer.backlog");
    }

    @Test
    void anUnknownSslBundleFailsWithAnAnalysisNamingTheBeanAndTheProperty(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run("--asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                "--asyncore.dispatchers.echoServer.ssl.bundle=no-such-bundle"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Dispatcher bean 'echoServer' names SSL bundle 'no-such-bundle' in"
                    + " 'asyncore.dispatchers.echoServer.ssl.bundle', but it does not exist")
            .contains("Configure the bundle under 'spring.ssl.bundle.jks.no-such-bundle' or"
                    + " 'spring.ssl.bundle.pem.no-such-bundle'");
    }

    @Test
    void aBundleCipherTheJdkDoesNotKnowFailsWithAnAnalysisNamingTheOption(@TempDir Path files, CapturedOutput output)
            throws Exception {
        TestPki pki = TestPki.get();
        Path certificate = TestPki.writeCertificatesPem(pki.server, files.resolve("server.crt"));
        Path key = TestPki.writePrivateKeyPem(pki.server, files.resolve("server.key"));
        assertThatException().isThrownBy(() -> run("--asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                "--asyncore.dispatchers.echoServer.ssl.bundle=server",
                "--spring.ssl.bundle.pem.server.keystore.certificate=file:" + certificate,
                "--spring.ssl.bundle.pem.server.keystore.private-key=file:" + key,
                "--spring.ssl.bundle.pem.server.options.ciphers=AES128-SHA"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Dispatcher bean 'echoServer' could not use the SSL bundle named in"
                    + " 'asyncore.dispatchers.echoServer.ssl.bundle': options.ciphers of SSL bundle 'server' cannot"
                    + " be used: TLS cipher suite 'AES128-SHA' is not supported by the SSL context")
            .contains("its options (ciphers and enabled-protocols in the JDK's names");
    }

    @Test
    void aDispatcherKeyThatNamesNoBeanFailsWithAnAnalysisListingTheBeans(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run("--asyncore.dispatchers.echoSrever.address=127.0.0.1:0"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("'asyncore.dispatchers.echoSrever' names no Dispatcher bean, so nothing would use its settings."
                    + " The Dispatcher beans are: echoServer.")
            .contains("Use a Dispatcher bean's name under 'asyncore.dispatchers'");
    }

    @Test
    void anUnknownKeyUnderAsyncoreFailsWithAnAnalysisNamingTheNearestKnownOne(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run("--asyncore.dispatcher.echoServer.address=127.0.0.1:0",
                "--asyncore.channel.idle-timout=5s"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Unknown asyncore properties:")
            .contains("'asyncore.dispatcher.echoserver.address' (from \"asyncore.dispatcher.echoServer.address\" from"
                    + " property source \"commandLineArgs\"); did you mean 'asyncore.dispatchers.echoserver.address'?")
            .contains("'asyncore.channel.idle-timout' (from \"asyncore.channel.idle-timout\" from property source"
                    + " \"commandLineArgs\"); did you mean 'asyncore.channel.idle-timeout'?");
    }

    @Test
    void anEnumValueThatDoesNotExistFailsWithTheValidValues(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run("--asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                "--asyncore.dispatchers.echoServer.type=tcp"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("asyncore.dispatchers.echoServer.type")
            .contains("STREAM")
            .contains("DATAGRAM");
    }

    @Test
    void aClientBeanThatOpenedASocketOfItsOwnFailsWithAnAnalysisNamingTheRemoteAddress(CapturedOutput output) {
        SpringApplication application = new SpringApplication(SelfOpeningClientApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatException().isThrownBy(
                () -> application.run("--asyncore.dispatchers.client.remote-address=127.0.0.1:9").close());
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Dispatcher bean 'client' could not start connecting to 127.0.0.1:9: the bean opened a socket"
                    + " of its own")
            .contains("Check 'asyncore.dispatchers.client.remote-address'");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class SelfOpeningClientApplication {

        @Bean
        Dispatcher client() throws IOException {
            Dispatcher client = new Dispatcher(new ChannelMap("self-opening-test"));
            client.createSocket(StandardProtocolFamily.INET, SocketType.DATAGRAM); // not the starter's to connect
            return client;
        }

    }

    private static void run(String... args) {
        SpringApplication application = new SpringApplication(EchoApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.run(args).close();
    }

}
