package io.github.asyncore.autoconfigure.readme;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README's "Use it in your service" true: its Java is the code compiled here, and its YAML
 * configures a running application that echoes.
 */
class ReadmeExampleTests {

    private static final String SECTION = "## Use it in your service";

    @Test
    void theReadmeShowsTheCompiledExampleCode() throws IOException {
        List<String> java = Readme.blocks(SECTION, "java");
        assertThat(java).hasSize(2);
        assertThat(java.get(0)).isEqualTo(Readme.classBody("EchoServer.java"));
        assertThat(java.get(1)).isEqualTo(Readme.classBody("EchoHandler.java"));
    }

    @Test
    void theReadmesTestIsTheTestRunHere() throws IOException {
        List<String> java = Readme.blocks("## Testing your dispatcher", "java");
        assertThat(java).hasSize(1);
        assertThat(java.get(0)).isEqualTo(Readme.classBody("EchoServerTests.java"));
    }

    @Test
    void theReadmesYamlConfiguresAnEchoServiceFromTheExampleCode() throws Exception {
        List<PropertySource<?>> sources = Readme.yaml(SECTION, 0, 1);
        SpringApplication application = new SpringApplication(ReadmeApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.addInitializers((context) -> sources.forEach(context.getEnvironment().getPropertySources()::addLast));
        // the README's port is the demo's; a test listens on a free one
        try (ConfigurableApplicationContext context = application.run("--asyncore.dispatchers.echoServer.address=127.0.0.1:0")) {
            EchoServer server = context.getBean(EchoServer.class);
            assertThat(server.getSettings().idleTimeout()).isEqualTo(Duration.ofMinutes(2));
            try (Socket client = new Socket("127.0.0.1", ((InetSocketAddress) server.getLocalAddress()).getPort())) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write("hello".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(client.getInputStream().readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("hello");
            }
        }
    }

}
