package io.github.asyncore.demo.helm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.asyncore.core.ChannelSnapshot;
import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.demo.DemoApplication;
import io.github.asyncore.demo.echo.EchoServer;
import io.github.asyncore.demo.echo.TlsEchoServer;
import io.github.asyncore.demo.helm.HelmChart.Rendering;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo service started the way the chart's pod starts it: with the application.yml the chart
 * renders, found through the pod's own {@code SPRING_CONFIG_ADDITIONAL_LOCATION}. Only the ports change,
 * to free ones on 127.0.0.1. With the default values the probes' paths must answer 200 on the probes'
 * (management) port, the echo port must echo, and nothing speaks TLS; with the development certificate
 * switched on, the TLS echo answers as the jar's quick start does.
 */
@ExtendWith(OutputCaptureExtension.class)
class HelmChartApplicationTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ConfigurableApplicationContext context;

    @AfterEach
    void stop() {
        if (this.context != null) {
            this.context.close();
        }
    }

    @Test
    void probesAnswerOnTheManagementPortAndEchoEchoesWithTheRenderedApplicationYml(@TempDir Path pod,
            CapturedOutput output) throws Exception {
        Rendering rendering = HelmChart.template(null);
        Container container = HelmChartTests.container(rendering);
        String location = startLikeThePod(rendering, container, pod);

        Environment environment = this.context.getEnvironment();
        assertThat(environment.getProperty("asyncore.dispatchers.echoServer.address"))
                .as("the rendered file, read from %s, wins over the jar's", location).isEqualTo("127.0.0.1:0");
        int managementPort = environment.getRequiredProperty("local.management.port", Integer.class);
        int webPort = environment.getRequiredProperty("local.server.port", Integer.class);
        assertThat(managementPort).isNotEqualTo(webPort);

        for (String path : List.of(container.getStartupProbe().getHttpGet().getPath(),
                container.getLivenessProbe().getHttpGet().getPath(), container.getReadinessProbe().getHttpGet().getPath())) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(get(managementPort, path).statusCode())
                    .as("GET %s on the management port", path).isEqualTo(200));
            assertThat(get(managementPort, path).body()).contains("\"status\":\"UP\"");
            assertThat(get(webPort, path).statusCode()).as("GET %s on the web port", path).isEqualTo(404);
        }

        for (String dispatcher : List.of("echoServer", "chatServer", "udpEchoServer")) {
            assertThat(this.context.getBean(dispatcher, Dispatcher.class).getLocalAddress())
                    .as("%s bound where the rendered file says", dispatcher)
                    .isInstanceOfSatisfying(InetSocketAddress.class,
                            (address) -> assertThat(address.getAddress().isLoopbackAddress()).isTrue());
        }
        InetSocketAddress echo = (InetSocketAddress) this.context.getBean(EchoServer.class).getLocalAddress();
        assertThat(echoLine(echo.getPort(), "hello from the chart")).isEqualTo("hello from the chart");

        assertThat(this.context.getBeansOfType(TlsEchoServer.class)).as("no TLS without a certificate").isEmpty();
        assertThat(this.context.getBean(EventLoopGroup.class).snapshot()).extracting(ChannelSnapshot::name)
                .as("no TLS listener").contains("echoServer").doesNotContain("tlsEchoServer");
        assertThat(environment.getProperty("demo.fetch.trust-bundle")).as("/fetch trusts the JDK's default CAs")
                .isEmpty();
        assertThat(output).as("what values.yaml says the log shows")
                .contains("asyncore.dispatchers.tlsEchoServer names a bean that a condition left out (tlsEchoServer:")
                .contains("demo.tls-echo.enabled")
                .contains("its settings are unused");
    }

    @Test
    void theDevelopmentCertificateSwitchServesTheTlsEchoAsTheJarDoes(@TempDir Path pod) throws Exception {
        Rendering rendering = HelmChart.template(null, Map.of("tls.allowDevelopmentCertificate", true));
        startLikeThePod(rendering, HelmChartTests.container(rendering), pod);

        TlsEchoServer tlsEcho = this.context.getBean(TlsEchoServer.class);
        InetSocketAddress address = (InetSocketAddress) tlsEcho.getLocalAddress();
        assertThat(address.getAddress().isLoopbackAddress()).isTrue();
        SSLContext trust = this.context.getBean(SslBundles.class).getBundle("demo-tls").createSslContext();
        try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", address.getPort()), 5_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("hello over the development certificate\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("hello over the development certificate");
        }
        assertThat(this.context.getEnvironment().getProperty("demo.fetch.trust-bundle")).isEqualTo("demo-tls");
    }

    /**
     * Writes the rendered application.yml where the pod's config volume would be, with free ports on
     * 127.0.0.1, and starts the demo with the pod's SPRING_CONFIG_ADDITIONAL_LOCATION pointed there.
     * @return the config location used
     */
    private String startLikeThePod(Rendering rendering, Container container, Path pod) throws IOException {
        String configVolume = rendering.one(Deployment.class).getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter((volume) -> volume.getConfigMap() != null)
                .map(Volume::getName)
                .findFirst()
                .orElseThrow();
        String mountPath = container.getVolumeMounts().stream()
                .filter((mount) -> mount.getName().equals(configVolume))
                .map(VolumeMount::getMountPath)
                .findFirst()
                .orElseThrow();
        String podLocation = container.getEnv().stream()
                .filter((variable) -> variable.getName().equals("SPRING_CONFIG_ADDITIONAL_LOCATION"))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseThrow();
        List<Map<String, Object>> documents = HelmChartTests.applicationYml(rendering);
        onFreeLoopbackPorts(documents.get(0));
        Path config = Files.createDirectories(pod.resolve("config"));
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(config.resolve("application.yml"), new Yaml(options).dumpAll(documents.iterator()));

        String location = podLocation.replace("file:" + mountPath + "/", "file:" + config.toAbsolutePath() + "/");
        // The jar's own TLS echo address (7443 on every interface) moved to loopback too, in case a broken
        // switch started the TLS echo where the chart says it must not run.
        this.context = new SpringApplicationBuilder(DemoApplication.class).main(DemoApplication.class)
                .run("--spring.config.additional-location=" + location,
                        "--asyncore.dispatchers.tlsEchoServer.address=127.0.0.1:0");
        return location;
    }

    /** Port 0 everywhere (the OS picks a free one), bound to 127.0.0.1; nothing else changes. */
    @SuppressWarnings("unchecked")
    static void onFreeLoopbackPorts(Map<String, Object> config) {
        Map<String, Object> server = (Map<String, Object>) config.get("server");
        server.put("port", 0);
        server.put("address", "127.0.0.1");
        Map<String, Object> management = (Map<String, Object>) ((Map<String, Object>) config.get("management")).get("server");
        management.put("port", 0);
        management.put("address", "127.0.0.1");
        Map<String, Object> dispatchers = (Map<String, Object>) HelmChartTests.at(config, "asyncore", "dispatchers");
        dispatchers.values().forEach((dispatcher) -> ((Map<String, Object>) dispatcher).put("address", "127.0.0.1:0"));
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .build();
        return this.http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String echoLine(int port, String line) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

}
