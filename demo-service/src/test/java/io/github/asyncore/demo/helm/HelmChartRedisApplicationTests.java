package io.github.asyncore.demo.helm;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.asyncore.demo.DemoApplication;
import io.github.asyncore.demo.chat.RedisServer;
import io.github.asyncore.demo.e2e.LineClient;
import io.github.asyncore.demo.helm.HelmChart.Rendering;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two demo instances started with the application.yml the chart renders for an external Redis
 * ({@code chat.relay=redis}, {@code chat.redis.url=redis://127.0.0.1:PORT/3}, a password from a Secret) and a
 * real {@code redis-server} on loopback that requires that password. The pod gets the password as
 * SPRING_DATA_REDIS_PASSWORD; here it comes as {@code --spring.data.redis.password}, the same property at a
 * precedence above the config file's. Spring Boot ignores that property when spring.data.redis.url is set, so
 * the instances reach Redis only because the chart renders host, port and database instead: with a URL they
 * would never authenticate, never subscribe, and the line would not cross.
 */
class HelmChartRedisApplicationTests {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static final String PASSWORD = "chart-test-password";

    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    private RedisServer redis;

    @AfterEach
    void stop() throws InterruptedException {
        this.instances.forEach(ConfigurableApplicationContext::close);
        if (this.redis != null) {
            this.redis.close();
        }
    }

    @Test
    void aLineCrossesTwoInstancesThroughTheRedisOfTheUrlWithTheSecretsPassword(@TempDir Path pod) throws Exception {
        this.redis = RedisServer.startOnFreePort(PASSWORD);

        Rendering rendering = HelmChart.template(null, Map.of("chat.relay", "redis",
                "chat.redis.url", "redis://127.0.0.1:" + this.redis.port() + "/3", "chat.redis.existingSecret", "chat-redis"));
        assertThat(HelmChartTests.secretVariable(HelmChartTests.container(rendering), "SPRING_DATA_REDIS_PASSWORD"))
                .isEqualTo(List.of("chat-redis", "password", false));
        Path config = Files.createDirectories(pod.resolve("config"));
        List<Map<String, Object>> documents = HelmChartTests.applicationYml(rendering);
        HelmChartApplicationTests.onFreeLoopbackPorts(documents.get(0));
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(config.resolve("application.yml"), new Yaml(options).dumpAll(documents.iterator()));

        for (int i = 0; i < 2; i++) {
            this.instances.add(new SpringApplicationBuilder(DemoApplication.class).main(DemoApplication.class)
                .run("--spring.config.additional-location=file:" + config.toAbsolutePath() + "/application.yml",
                        "--asyncore.dispatchers.tlsEchoServer.address=127.0.0.1:0", "--spring.main.banner-mode=off",
                        "--spring.data.redis.password=" + PASSWORD));
        }
        ConfigurableApplicationContext first = this.instances.get(0);
        assertThat(first.getEnvironment().getProperty("spring.data.redis.url")).isNull();
        assertThat(first.getEnvironment().getProperty("spring.data.redis.database")).isEqualTo("3");
        String channel = first.getEnvironment().getProperty("demo.chat.redis-channel");
        assertThat(channel).isEqualTo("asyncore-demo:chat:apps:demo");
        await().atMost(WAIT).until(() -> this.redis.command("PUBSUB NUMSUB " + channel).endsWith(":2\r\n"));

        try (LineClient listener = join(first); LineClient speaker = join(this.instances.get(1))) {
            speaker.send("across the pods");
            assertThat(listener.readLineEndingWith("across the pods")).endsWith("] across the pods");
        }
    }

    private static LineClient join(ConfigurableApplicationContext demo) throws IOException {
        int port = demo.getEnvironment().getRequiredProperty("local.asyncore.dispatchers.chatServer.port", Integer.class);
        LineClient client = new LineClient(new InetSocketAddress("127.0.0.1", port));
        assertThat(client.readLine()).startsWith("* welcome");
        return client;
    }

}
