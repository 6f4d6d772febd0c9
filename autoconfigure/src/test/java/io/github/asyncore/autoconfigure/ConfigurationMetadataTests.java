package io.github.asyncore.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/** The metadata IDEs read: every asyncore key documented, with its default where it has one. */
class ConfigurationMetadataTests {

    private static final List<String> KEYS_WITH_DEFAULTS = List.of("asyncore.enabled", "asyncore.loop.threads",
            "asyncore.loop.select-timeout", "asyncore.loop.stall-threshold", "asyncore.shutdown.timeout",
            "asyncore.channel.connect-timeout", "asyncore.channel.idle-timeout", "asyncore.channel.read-idle-timeout",
            "asyncore.channel.write-idle-timeout", "asyncore.channel.receive-buffer-size",
            "asyncore.channel.max-frame-size", "asyncore.channel.write-buffer-high-water-mark",
            "asyncore.channel.write-buffer-low-water-mark", "asyncore.channel.max-connections",
            "asyncore.events.enabled", "asyncore.events.queue-capacity", "asyncore.channel.ssl.handshake-timeout",
            "asyncore.loop.max-output-memory", "asyncore.channel.output-hard-limit", "asyncore.channel.output-soft-limit",
            "asyncore.channel.output-soft-limit-duration", "asyncore.ssl.provider");

    @Test
    void everyPropertyHasADescriptionAndItsDefault() throws IOException {
        List<Map<String, Object>> properties = properties();
        assertThat(properties).extracting((property) -> property.get("name"))
            .containsAll(KEYS_WITH_DEFAULTS)
            .contains("asyncore.dispatchers");
        assertThat(properties).allSatisfy((property) -> assertThat((String) property.get("description"))
            .as("description of %s", property.get("name")).isNotBlank().endsWith("."));
        assertThat(properties).filteredOn((property) -> KEYS_WITH_DEFAULTS.contains(property.get("name")))
            .allSatisfy((property) -> assertThat(property.get("defaultValue")).as("default of %s", property.get("name"))
                .isNotNull());
        assertThat(properties).filteredOn((property) -> "asyncore.loop.stall-threshold".equals(property.get("name")))
            .singleElement().extracting((property) -> property.get("defaultValue")).isEqualTo("100ms");
        assertThat(properties).filteredOn((property) -> "asyncore.events.queue-capacity".equals(property.get("name")))
            .singleElement().extracting((property) -> property.get("defaultValue")).isEqualTo(10000);
        assertThat(properties).filteredOn((property) -> "asyncore.channel.output-hard-limit".equals(property.get("name")))
            .singleElement().extracting((property) -> property.get("defaultValue")).isEqualTo("4MB");
        assertThat(properties).filteredOn((property) -> "asyncore.channel.ssl.handshake-timeout".equals(property.get("name")))
            .singleElement().extracting((property) -> property.get("defaultValue")).isEqualTo("10s");
        assertThat(properties).filteredOn((property) -> "asyncore.ssl.provider".equals(property.get("name")))
            .singleElement().extracting((property) -> property.get("defaultValue")).isEqualTo("jdk");
    }

    @Test
    void everyDispatcherKeyHasAnEntryAndEnumsListTheirValues() throws IOException {
        List<Map<String, Object>> properties = properties();
        assertThat(properties).extracting((property) -> property.get("name"))
            .contains("asyncore.dispatchers.*.address", "asyncore.dispatchers.*.remote-address",
                    "asyncore.dispatchers.*.type", "asyncore.dispatchers.*.backlog",
                    "asyncore.dispatchers.*.reconnect.enabled", "asyncore.dispatchers.*.reconnect.initial-delay",
                    "asyncore.dispatchers.*.reconnect.max-delay", "asyncore.dispatchers.*.reconnect.multiplier",
                    "asyncore.dispatchers.*.reconnect.jitter", "asyncore.dispatchers.*.ssl.bundle",
                    "asyncore.dispatchers.*.ssl.client-auth", "asyncore.dispatchers.*.ssl.verify-hostname",
                    "asyncore.dispatchers.*.ssl.handshake-timeout");
        // every channel default can be overridden per dispatcher
        List<String> channelKeys = properties.stream()
            .map((property) -> (String) property.get("name"))
            .filter((name) -> name.startsWith("asyncore.channel.") && !name.startsWith("asyncore.channel.ssl."))
            .map((name) -> name.substring("asyncore.channel.".length()))
            .toList();
        assertThat(channelKeys).hasSizeGreaterThan(10);
        assertThat(properties).extracting((property) -> property.get("name"))
            .containsAll(channelKeys.stream().map((key) -> "asyncore.dispatchers.*." + key).toList());
        try (InputStream metadata = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
            String json = new String(metadata.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            List<String> types = JsonPath.read(json, "$.hints[?(@.name == 'asyncore.dispatchers.*.type')].values[*].value");
            assertThat(types).containsExactly("stream", "datagram");
            List<String> clientAuth = JsonPath.read(json,
                    "$.hints[?(@.name == 'asyncore.dispatchers.*.ssl.client-auth')].values[*].value");
            assertThat(clientAuth).containsExactly("none", "want", "need");
            List<String> providers = JsonPath.read(json, "$.hints[?(@.name == 'asyncore.ssl.provider')].values[*].value");
            assertThat(providers).containsExactly("jdk", "conscrypt");
            List<String> keyProviders = JsonPath.read(json,
                    "$.hints[?(@.name == 'asyncore.dispatchers.keys')].providers[*].parameters.target");
            assertThat(keyProviders).containsExactly("io.github.asyncore.core.Dispatcher");
        }
    }

    private static List<Map<String, Object>> properties() throws IOException {
        try (InputStream metadata = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
            return JsonPath.read(metadata, "$.properties[?(@.name =~ /asyncore\\..*/)]");
        }
    }

}
