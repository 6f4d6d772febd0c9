package io.github.asyncore.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import io.github.asyncore.autoconfigure.endpoint.ChannelsEndpointAutoConfiguration;
import io.github.asyncore.autoconfigure.metrics.AsyncoreMetricsAutoConfiguration;
import io.github.asyncore.boot.actuate.endpoint.ChannelsEndpoint;
import io.github.asyncore.boot.actuate.endpoint.ChannelsEndpoint.ChannelDescriptor;
import io.github.asyncore.core.BufferedDispatcher;
import io.github.asyncore.core.ChannelKind;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.core.TestPki;
import io.github.asyncore.core.Tls11ClientHello;
import io.github.asyncore.core.TlsSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.conscrypt.Conscrypt;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * TLS configured the Spring Boot way: {@code asyncore.dispatchers.<bean>.ssl.bundle} names a
 * {@code spring.ssl.bundle.jks.*} or {@code pem.*} bundle, made of certificates generated for the test;
 * the listener serves TLS over loopback, the endpoint shows the negotiated protocol and cipher suite, and
 * the meters count handshakes. Without bundle options the listener offers core's default profile (TLS 1.3
 * and 1.2 with AEAD suites only); a bundle's {@code options.ciphers} and {@code options.enabled-protocols}
 * replace it as given. Every test that speaks TLS runs on both engines of {@code asyncore.ssl.provider}, the
 * JDK's and Conscrypt's (BoringSSL), with the same assertions.
 */
@ExtendWith(OutputCaptureExtension.class)
class DispatcherTlsIntegrationTests {

    /** A TLS 1.2 suite for the test's EC key that the JDK enables by default and the profile leaves out. */
    private static final String CBC_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";

    private static final TestPki pki = TestPki.get();

    @TempDir
    static Path files;

    private static Path serverKeyStore;

    private static Path trustStore;

    private static Path serverCertificates;

    private static Path serverKey;

    private static Path caCertificate;

    /** The echo listener's series: meters count per loop and dispatcher (the bean name). */
    private static final Tags ECHO_SERVER = Tags.of("loop", "asyncore-0", "dispatcher", "echoServer");

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, AsyncoreAutoConfiguration.class,
                ChannelsEndpointAutoConfiguration.class, AsyncoreMetricsAutoConfiguration.class,
                MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class))
        .withUserConfiguration(DispatchersConfiguration.class)
        .withPropertyValues("management.endpoints.web.exposure.include=channels",
                "asyncore.dispatchers.echoServer.address=127.0.0.1:0", "asyncore.shutdown.timeout=0s");

    /** The context runner with {@code asyncore.ssl.provider} set: every TLS test runs on both engines. */
    private ApplicationContextRunner runner(TlsProvider provider) {
        return this.contextRunner.withPropertyValues("asyncore.ssl.provider=" + provider.name().toLowerCase(Locale.ROOT));
    }

    @BeforeAll
    static void writeBundleFiles() throws Exception {
        serverKeyStore = TestPki.writePkcs12(pki.server, files.resolve("server.p12"));
        trustStore = TestPki.writeTrustStore(files.resolve("trust.p12"), pki.ca);
        serverCertificates = TestPki.writeCertificatesPem(pki.server, files.resolve("server.crt"));
        serverKey = TestPki.writePrivateKeyPem(pki.server, files.resolve("server.key"));
        caCertificate = TestPki.writeCertificatesPem(pki.ca, files.resolve("ca.crt"));
    }

    @ParameterizedTest
    @EnumSource
    void jksBundleMakesTheListenerServeTlsAndTheEndpointShowsTheSession(TlsProvider provider) {
        runner(provider).withPropertyValues(jksServerBundle()).run((context) -> {
            EchoApplication.EchoServer server = context.getBean(EchoApplication.EchoServer.class);
            assertThat(server.getTls()).isNotNull();
            assertThat(server.getTls().isClientMode()).isFalse();
            try (SSLSocket client = jdkClient(LoopbackClients.port(server))) {
                client.getOutputStream().write("over a bundle".getBytes(StandardCharsets.UTF_8));
                client.getOutputStream().flush();
                assertThat(new String(client.getInputStream().readNBytes(13), StandardCharsets.UTF_8))
                    .isEqualTo("over a bundle");
                ChannelsEndpoint endpoint = context.getBean(ChannelsEndpoint.class);
                ChannelDescriptor connection = await().atMost(Duration.ofSeconds(10))
                    .until(() -> endpoint.channels("connection", null).channels(), (list) -> list.size() == 1)
                    .get(0);
                assertThat(connection.tls()).isTrue();
                assertThat(connection.protocol()).isEqualTo(client.getSession().getProtocol());
                assertThat(connection.cipherSuite()).isEqualTo(client.getSession().getCipherSuite());
                ChannelDescriptor listener = endpoint.channels("listener", null).channels().get(0);
                assertThat(listener.tls()).isTrue();
                assertThat(listener.protocol()).isNull();
            }
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("asyncore.tls.handshakes").tags(ECHO_SERVER).functionCounter().count())
                .isEqualTo(1);
            assertThat(registry.get("asyncore.tls.handshake.failures").tags(ECHO_SERVER).functionCounter().count())
                .isZero();
        });
    }

    @ParameterizedTest
    @EnumSource
    void clientAuthNeedRefusesAClientWithoutACertificateAndAcceptsATrustedOneAndTheMetersCountBoth(TlsProvider provider) {
        runner(provider).withPropertyValues(jksServerBundle())
            .withPropertyValues("asyncore.dispatchers.echoServer.ssl.client-auth=need")
            .run((context) -> {
                int port = LoopbackClients.port(context.getBean(EchoApplication.EchoServer.class));
                try (SSLSocket anonymous = jdkClient(TestPki.context(null, pki.ca), port)) {
                    anonymous.startHandshake(); // TLS 1.3: the server judges the client's certificate afterwards
                    anonymous.getOutputStream().write('x');
                    anonymous.getOutputStream().flush();
                    assertThat(anonymous.getInputStream().read()).isEqualTo(-1);
                }
                catch (IOException refused) {
                    // the server's alert
                }
                try (SSLSocket trusted = jdkClient(TestPki.context(pki.client, pki.ca), port)) {
                    trusted.getOutputStream().write('y');
                    trusted.getOutputStream().flush();
                    assertThat(trusted.getInputStream().read()).isEqualTo('y');
                }
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(registry.get("asyncore.tls.handshake.failures")
                        .tags(ECHO_SERVER)
                        .functionCounter()
                        .count()).isEqualTo(1));
                assertThat(registry.get("asyncore.tls.handshakes").tags(ECHO_SERVER).functionCounter().count())
                    .isEqualTo(1);
            });
    }

    @ParameterizedTest
    @EnumSource
    void pemBundleWorksAsWell(TlsProvider provider) {
        runner(provider)
            .withPropertyValues("asyncore.dispatchers.echoServer.ssl.bundle=server",
                    "spring.ssl.bundle.pem.server.keystore.certificate=file:" + serverCertificates,
                    "spring.ssl.bundle.pem.server.keystore.private-key=file:" + serverKey)
            .run((context) -> {
                EchoApplication.EchoServer server = context.getBean(EchoApplication.EchoServer.class);
                try (SSLSocket client = jdkClient(LoopbackClients.port(server))) {
                    client.getOutputStream().write("pem".getBytes(StandardCharsets.UTF_8));
                    client.getOutputStream().flush();
                    assertThat(client.getInputStream().readNBytes(3)).isEqualTo("pem".getBytes(StandardCharsets.UTF_8));
                }
            });
    }

    @Test
    void clientAuthAndHandshakeTimeoutAreBoundPerDispatcherOverTheChannelDefault() {
        this.contextRunner
            .withPropertyValues(jksServerBundle())
            .withPropertyValues("asyncore.dispatchers.echoServer.ssl.client-auth=need",
                    "asyncore.channel.ssl.handshake-timeout=3s", "asyncore.dispatchers.echoServer.ssl.handshake-timeout=2s")
            .run((context) -> {
                TlsSettings tls = context.getBean(EchoApplication.EchoServer.class).getTls();
                assertThat(tls.clientAuth()).isEqualTo(TlsSettings.ClientAuth.NEED);
                assertThat(tls.handshakeTimeout()).isEqualTo(Duration.ofSeconds(2));
            });
        this.contextRunner.withPropertyValues(jksServerBundle())
            .withPropertyValues("asyncore.channel.ssl.handshake-timeout=3s")
            .run((context) -> assertThat(context.getBean(EchoApplication.EchoServer.class).getTls().handshakeTimeout())
                .isEqualTo(Duration.ofSeconds(3)));
    }

    @ParameterizedTest
    @EnumSource
    void aDispatcherWithoutAnAddressIsAClientThatTrustsTheBundleAndVerifiesTheHost(TlsProvider provider) {
        runner(provider).withPropertyValues(jksServerBundle())
            .withPropertyValues("asyncore.dispatchers.pingClient.ssl.bundle=trust",
                    "spring.ssl.bundle.pem.trust.truststore.certificate=file:" + caCertificate)
            .run((context) -> {
                PingClient client = context.getBean(PingClient.class);
                assertThat(client.getTls().isClientMode()).isTrue();
                assertThat(client.getTls().hostnameVerification()).isTrue();
                int port = LoopbackClients.port(context.getBean(EchoApplication.EchoServer.class));
                context.getBean(EventLoopGroup.class).acceptor().eventLoop().execute(() -> {
                    try {
                        client.createSocket();
                        client.connect(new InetSocketAddress("127.0.0.1", port));
                    }
                    catch (IOException ex) {
                        client.answer.completeExceptionally(ex);
                    }
                });
                assertThat(client.answer.get(10, TimeUnit.SECONDS)).isEqualTo("ping");
                assertThat(context.getBean(EventLoopGroup.class).snapshot())
                    .filteredOn((channel) -> channel.kind() == ChannelKind.CLIENT)
                    .allSatisfy((channel) -> assertThat(channel.isTls()).isTrue());
            });
    }

    @ParameterizedTest
    @EnumSource
    void aReloadedBundleAppliesToNewConnectionsWhileOpenOnesKeepTheirs(TlsProvider provider, @TempDir Path directory) throws Exception {
        Path certificate = TestPki.writeCertificatesPem(pki.server, directory.resolve("tls.crt"));
        Path key = TestPki.writePrivateKeyPem(pki.server, directory.resolve("tls.key"));
        runner(provider)
            .withPropertyValues("asyncore.dispatchers.echoServer.ssl.bundle=reloading",
                    "spring.ssl.bundle.pem.reloading.reload-on-update=true",
                    "spring.ssl.bundle.pem.reloading.keystore.certificate=file:" + certificate,
                    "spring.ssl.bundle.pem.reloading.keystore.private-key=file:" + key,
                    "spring.ssl.bundle.watch.file.quiet-period=100ms")
            .run((context) -> {
                int port = LoopbackClients.port(context.getBean(EchoApplication.EchoServer.class));
                try (SSLSocket first = anyHostClient(port)) {
                    assertThat(first.getSession().getPeerPrincipal().getName()).isEqualTo("CN=server");
                    TestPki.writePrivateKeyPem(pki.wrongHostServer, key);
                    TestPki.writeCertificatesPem(pki.wrongHostServer, certificate);
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                        try (SSLSocket next = anyHostClient(port)) {
                            assertThat(next.getSession().getPeerPrincipal().getName()).isEqualTo("CN=wronghost");
                        }
                    });
                    first.getOutputStream().write("still".getBytes(StandardCharsets.UTF_8));
                    first.getOutputStream().flush();
                    assertThat(first.getInputStream().readNBytes(5)).isEqualTo("still".getBytes(StandardCharsets.UTF_8));
                }
            });
    }

    @ParameterizedTest
    @EnumSource
    void aBundleWithoutOptionsServesTheDefaultProfile(TlsProvider provider) {
        runner(provider).withPropertyValues(pemServerBundle()).run((context) -> {
            EchoApplication.EchoServer server = context.getBean(EchoApplication.EchoServer.class);
            assertThat(server.getTls().protocols()).isNull();
            assertThat(server.getTls().cipherSuites()).isNull();
            int port = LoopbackClients.port(server);
            try (SSLSocket tls13 = jdkClient(port, "TLSv1.3", null)) {
                assertEchoes(tls13);
                assertThat(tls13.getSession().getProtocol()).isEqualTo("TLSv1.3");
            }
            try (SSLSocket aead = jdkClient(port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
                assertEchoes(aead);
                assertThat(aead.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
            }
            try (SSLSocket cbc = jdkClient(port, "TLSv1.2", CBC_SUITE)) {
                assertThatExceptionOfType(SSLException.class).isThrownBy(cbc::startHandshake)
                    .withMessageContaining("handshake_failure");
            }
            assertThat(Tls11ClientHello.isProtocolVersionAlert(Tls11ClientHello.sendTo(port))).isTrue();
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(registry.get("asyncore.tls.handshake.failures")
                    .tags(ECHO_SERVER)
                    .functionCounter()
                    .count()).isEqualTo(2));
        });
    }

    @ParameterizedTest
    @EnumSource
    void bundleOptionsThatNameACbcSuiteLetSuchAClientIn(TlsProvider provider) {
        runner(provider).withPropertyValues(pemServerBundle())
            .withPropertyValues("spring.ssl.bundle.pem.server.options.ciphers="
                    + "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256," + CBC_SUITE)
            .run((context) -> {
                EchoApplication.EchoServer server = context.getBean(EchoApplication.EchoServer.class);
                assertThat(server.getTls().cipherSuites()).containsExactlyInAnyOrder(
                        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", CBC_SUITE);
                assertThat(server.getTls().protocols()).isNull();
                try (SSLSocket cbc = jdkClient(LoopbackClients.port(server), "TLSv1.2", CBC_SUITE)) {
                    assertEchoes(cbc);
                    assertThat(cbc.getSession().getCipherSuite()).isEqualTo(CBC_SUITE);
                }
            });
    }

    @ParameterizedTest
    @EnumSource
    void bundleOptionsThatNameOnlyTls13RefuseTls12(TlsProvider provider) {
        runner(provider).withPropertyValues(pemServerBundle())
            .withPropertyValues("spring.ssl.bundle.pem.server.options.enabled-protocols=TLSv1.3")
            .run((context) -> {
                EchoApplication.EchoServer server = context.getBean(EchoApplication.EchoServer.class);
                assertThat(server.getTls().protocols()).containsExactly("TLSv1.3");
                int port = LoopbackClients.port(server);
                try (SSLSocket tls12 = jdkClient(port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
                    assertThatExceptionOfType(SSLException.class).isThrownBy(tls12::startHandshake);
                }
                try (SSLSocket tls13 = jdkClient(port, "TLSv1.3", null)) {
                    assertEchoes(tls13);
                }
            });
    }

    @ParameterizedTest
    @EnumSource
    void aBundleCipherTheJdkDoesNotKnowFailsStartUpNamingTheOptionAndTheBundle(TlsProvider provider) {
        runner(provider).withPropertyValues(pemServerBundle())
            .withPropertyValues("spring.ssl.bundle.pem.server.options.ciphers=ECDHE-ECDSA-AES128-GCM-SHA256")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .hasStackTraceContaining("options.ciphers of SSL bundle 'server' cannot be used: TLS cipher suite"
                        + " 'ECDHE-ECDSA-AES128-GCM-SHA256' is not supported by the SSL context"));
    }

    @Test
    void aPlainListenerStaysPlain() {
        this.contextRunner.run((context) -> {
            EchoApplication.EchoServer server = context.getBean(EchoApplication.EchoServer.class);
            assertThat(server.isTls()).isFalse();
            assertThat(context.getBean(ChannelsEndpoint.class).channels("listener", null).channels().get(0).tls())
                .isFalse();
        });
    }

    @ParameterizedTest
    @EnumSource
    void theChosenProvidersEngineSpeaksTlsForListenersAndClients(TlsProvider provider, CapturedOutput output) {
        runner(provider).withPropertyValues(pemServerBundle())
            .withPropertyValues("asyncore.dispatchers.pingClient.ssl.bundle=trust",
                    "spring.ssl.bundle.pem.trust.truststore.certificate=file:" + caCertificate)
            .run((context) -> {
                TlsSettings server = context.getBean(EchoApplication.EchoServer.class).getTls();
                TlsSettings client = context.getBean(PingClient.class).getTls();
                String name = (provider == TlsProvider.CONSCRYPT) ? "Conscrypt" : "SunJSSE";
                assertThat(server.context().getProvider().getName()).isEqualTo(name);
                assertThat(client.context().getProvider().getName()).isEqualTo(name);
                SSLEngine engine = server.newEngine(new InetSocketAddress("127.0.0.1", 1));
                assertThat(Conscrypt.isConscrypt(engine)).isEqualTo(provider == TlsProvider.CONSCRYPT);
                if (provider == TlsProvider.CONSCRYPT) {
                    assertThat(output).contains("TLS provider: Conscrypt");
                }
                else {
                    assertThat(output).doesNotContain("TLS provider: Conscrypt");
                }
            });
    }

    /**
     * A JDK client that connects again with the same context offers the TLS 1.3 ticket the listener gave it
     * after the first handshake; a resumed session keeps the creation time of the session it resumes, a new
     * one has its own.
     */
    @ParameterizedTest
    @EnumSource
    void aSecondConnectionOfAClientResumesItsTls13Session(TlsProvider provider) {
        runner(provider).withPropertyValues(pemServerBundle()).run((context) -> {
            int port = LoopbackClients.port(context.getBean(EchoApplication.EchoServer.class));
            SSLContext clientContext = TestPki.context(null, pki.ca);
            SSLSession first;
            try (SSLSocket client = jdkClient(clientContext, port)) {
                assertEchoes(client); // reading the echo takes in the ticket that follows the handshake
                first = client.getSession();
                assertThat(first.getProtocol()).isEqualTo("TLSv1.3");
            }
            await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(1))
                .until(() -> System.currentTimeMillis() > first.getCreationTime());
            try (SSLSocket again = jdkClient(clientContext, port)) {
                assertEchoes(again);
                assertThat(again.getSession().getProtocol()).isEqualTo("TLSv1.3");
                assertThat(again.getSession().getCreationTime()).as("creation time of the resumed session")
                    .isEqualTo(first.getCreationTime());
            }
            try (SSLSocket stranger = jdkClient(TestPki.context(null, pki.ca), port)) {
                assertEchoes(stranger);
                assertThat(stranger.getSession().getCreationTime()).as("creation time of a new session")
                    .isGreaterThan(first.getCreationTime());
            }
        });
    }

    @Test
    void conscryptChosenWithoutConscryptOnTheClassPathFailsStartUpTellingWhatToAdd() {
        this.contextRunner.withClassLoader(new FilteredClassLoader("org.conscrypt"))
            .withPropertyValues("asyncore.ssl.provider=conscrypt")
            .run((context) -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = new AsyncoreConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
                assertThat(analysis).isNotNull();
                assertThat(analysis.getDescription())
                    .isEqualTo("'asyncore.ssl.provider' is 'conscrypt', but Conscrypt is not on the class path.");
                assertThat(analysis.getAction()).contains("org.conscrypt:conscrypt-openjdk-uber")
                    .contains("'asyncore.ssl.provider=jdk' (the default)");
            });
    }

    private static String[] jksServerBundle() {
        return new String[] { "asyncore.dispatchers.echoServer.ssl.bundle=server",
                "spring.ssl.bundle.jks.server.keystore.location=file:" + serverKeyStore,
                "spring.ssl.bundle.jks.server.keystore.password=" + TestPki.PASSWORD,
                "spring.ssl.bundle.jks.server.keystore.type=PKCS12",
                "spring.ssl.bundle.jks.server.truststore.location=file:" + trustStore,
                "spring.ssl.bundle.jks.server.truststore.password=" + TestPki.PASSWORD,
                "spring.ssl.bundle.jks.server.truststore.type=PKCS12" };
    }

    private static String[] pemServerBundle() {
        return new String[] { "asyncore.dispatchers.echoServer.ssl.bundle=server",
                "spring.ssl.bundle.pem.server.keystore.certificate=file:" + serverCertificates,
                "spring.ssl.bundle.pem.server.keystore.private-key=file:" + serverKey };
    }

    /**
     * A client that trusts the test CA and offers one protocol and, unless {@code null}, one cipher suite.
     */
    private static SSLSocket jdkClient(int port, String protocol, @Nullable String cipherSuite) throws IOException {
        SSLSocket socket = jdkClient(port);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(new String[] { protocol });
        if (cipherSuite != null) {
            parameters.setCipherSuites(new String[] { cipherSuite });
        }
        socket.setSSLParameters(parameters);
        return socket;
    }

    private static void assertEchoes(SSLSocket client) throws IOException {
        client.getOutputStream().write("profile".getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().flush();
        assertThat(client.getInputStream().readNBytes(7)).isEqualTo("profile".getBytes(StandardCharsets.UTF_8));
    }

    /** A client that trusts the test CA and does not check host names, to see which certificate is served. */
    private static SSLSocket anyHostClient(int port) throws IOException {
        SSLSocket socket = (SSLSocket) TestPki.context(null, pki.ca).getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private static SSLSocket jdkClient(int port) throws IOException {
        return jdkClient(TestPki.context(null, pki.ca), port);
    }

    private static SSLSocket jdkClient(javax.net.ssl.SSLContext sslContext, int port) throws IOException {
        SSLSocket socket = (SSLSocket) sslContext.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        return socket;
    }

    @Configuration(proxyBeanMethods = false)
    static class DispatchersConfiguration {

        @Bean
        EchoApplication.EchoServer echoServer() {
            return new EchoApplication.EchoServer();
        }

        @Bean
        PingClient pingClient() {
            return new PingClient();
        }

    }

    /** A client bean: sends "ping" once its TLS connection is up and completes with the echo. */
    static class PingClient extends BufferedDispatcher {

        final CompletableFuture<String> answer = new CompletableFuture<>();

        private final ByteArrayOutputStream received = new ByteArrayOutputStream();

        @Override
        public void handleConnect() throws IOException {
            send("ping".getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void handleRead() throws IOException {
            ByteBuffer data = recv();
            while (data.hasRemaining()) {
                this.received.write(data.get());
            }
            if (this.received.size() >= 4) {
                this.answer.complete(this.received.toString(StandardCharsets.UTF_8));
                close();
            }
        }

        @Override
        public void handleError(Throwable error) {
            this.answer.completeExceptionally(error);
            super.handleError(error);
        }

    }

}
