package io.github.asyncore.autoconfigure.console;

import java.net.http.HttpResponse;

import io.github.asyncore.autoconfigure.ActuatorClient;
import io.github.asyncore.autoconfigure.EchoApplication;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's console over real HTTP: off unless enabled, on the management server (its own port or the
 * application's), and told by {@code /asyncore/config.json} where the endpoint is and whether it may close
 * channels.
 */
class ConsoleIntegrationTests {

    private static final JsonMapper json = JsonMapper.builder().build();

    private static JsonNode config(ActuatorClient client) {
        return config(client, "/asyncore/config.json");
    }

    private static JsonNode config(ActuatorClient client, String path) {
        HttpResponse<String> response = client.get(path);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                (type) -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        return json.readTree(response.body());
    }

    @Nested
    @SpringBootTest(classes = EchoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
            properties = { "server.address=127.0.0.1", "asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                    "management.endpoints.web.exposure.include=channels" })
    class OffByDefault {

        @LocalServerPort
        int port;

        @Test
        void consoleIsNotServed() {
            ActuatorClient client = new ActuatorClient(this.port);
            assertThat(client.get("/asyncore/").statusCode()).isEqualTo(404);
            assertThat(client.get("/asyncore/config.json").statusCode()).isEqualTo(404);
            assertThat(client.get("/actuator/channels").statusCode()).isEqualTo(200);
        }

    }

    /** No management port of its own: the console is on the application's port, beside the actuator. */
    @Nested
    @SpringBootTest(classes = EchoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
            properties = { "server.address=127.0.0.1", "asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                    "management.endpoints.web.exposure.include=channels", "asyncore.console.enabled=true" })
    class SamePort {

        @LocalServerPort
        int port;

        @Test
        void servesThePageWithHeadersThatKeepOtherOriginsOut() {
            HttpResponse<String> page = new ActuatorClient(this.port).get("/asyncore/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
            assertThat(page.body()).contains("<title>asyncore console</title>");
            assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValue(ConsoleRoutes.CONTENT_SECURITY_POLICY);
            assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(page.headers().firstValue("ETag")).isPresent();
        }

        @Test
        void redirectsTheBarePathToThePage() {
            HttpResponse<String> response = new ActuatorClient(this.port).get("/asyncore");
            assertThat(response.statusCode()).isEqualTo(302);
            assertThat(response.headers().firstValue("Location")).hasValue("/asyncore/");
        }

        @Test
        void servesItsOwnFilesOnly() {
            ActuatorClient client = new ActuatorClient(this.port);
            HttpResponse<String> script = client.get("/asyncore/console.js");
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript;charset=UTF-8");
            assertThat(client.get("/asyncore/application.properties").statusCode()).isEqualTo(404);
            // Tomcat refuses an encoded slash itself (400); the route would not match it either
            assertThat(client.get("/asyncore/..%2FAsyncoreProperties.class").statusCode()).isIn(400, 404);
        }

        @Test
        void configNamesTheEndpointAndForbidsClosingWhileItsAccessIsReadOnly() {
            JsonNode config = config(new ActuatorClient(this.port));
            assertThat(config.get("channels").asString()).isEqualTo("/actuator/channels");
            assertThat(config.get("access").asString()).isEqualTo("READ_ONLY");
            assertThat(config.get("closeAllowed").asBoolean()).isFalse();
            assertThat(config.get("refreshMillis").asLong()).isEqualTo(1000);
        }

    }

    /** A management port of its own, as the demo runs: the console lives there, not on the application's. */
    @Nested
    @SpringBootTest(classes = EchoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
            properties = { "server.address=127.0.0.1", "asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                    "management.server.port=0", "management.server.address=127.0.0.1",
                    "management.endpoints.web.exposure.include=channels",
                    "management.endpoint.channels.access=unrestricted", "asyncore.console.enabled=true" })
    class SeparateManagementPort {

        @LocalServerPort
        int port;

        @LocalManagementPort
        int managementPort;

        @Test
        void servesThePageOnTheManagementPortOnly() {
            assertThat(this.managementPort).isNotEqualTo(this.port);
            HttpResponse<String> page = new ActuatorClient(this.managementPort).get("/asyncore/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>asyncore console</title>");
            assertThat(new ActuatorClient(this.port).get("/asyncore/").statusCode()).isEqualTo(404);
        }

        @Test
        void configAllowsClosingWhenTheAccessIsUnrestricted() {
            JsonNode config = config(new ActuatorClient(this.managementPort));
            assertThat(config.get("channels").asString()).isEqualTo("/actuator/channels");
            assertThat(config.get("access").asString()).isEqualTo("UNRESTRICTED");
            assertThat(config.get("closeAllowed").asBoolean()).isTrue();
        }

    }

    /** The management server's base path and the endpoints' base path both move the endpoint's URL. */
    @Nested
    @SpringBootTest(classes = EchoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
            properties = { "server.address=127.0.0.1", "asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                    "management.server.port=0", "management.server.address=127.0.0.1",
                    "management.server.base-path=/manage", "management.endpoints.web.base-path=/ops",
                    "management.endpoints.web.exposure.include=channels", "asyncore.console.enabled=true" })
    class MovedPaths {

        @LocalManagementPort
        int managementPort;

        @Test
        void configPointsAtTheMovedEndpoint() {
            ActuatorClient client = new ActuatorClient(this.managementPort);
            assertThat(client.get("/manage/asyncore/").statusCode()).isEqualTo(200);
            JsonNode config = config(client, "/manage/asyncore/config.json");
            assertThat(config.get("channels").asString()).isEqualTo("/manage/ops/channels");
            assertThat(client.get("/manage/ops/channels").statusCode()).isEqualTo(200);
            assertThat(client.get("/manage/asyncore").headers().firstValue("Location"))
                .hasValue("/manage/asyncore/");
        }

    }

    /** Unrestricted access is not enough when the endpoint is not exposed over the web. */
    @Nested
    @SpringBootTest(classes = EchoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
            properties = { "server.address=127.0.0.1", "asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                    "management.endpoints.web.exposure.include=health",
                    "management.endpoint.channels.access=unrestricted", "asyncore.console.enabled=true" })
    class EndpointNotExposed {

        @LocalServerPort
        int port;

        @Test
        void configSaysThereIsNoEndpointAndNoClosing() {
            JsonNode config = config(new ActuatorClient(this.port));
            assertThat(config.get("channels").isNull()).isTrue();
            assertThat(config.get("closeAllowed").asBoolean()).isFalse();
        }

    }

}
