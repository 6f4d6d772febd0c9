package io.github.asyncore.demo.helm;

import java.util.HashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.asyncore.demo.helm.HelmChart.Rendering;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * values.schema.json: {@code helm template --set} with a bad value fails before anything is rendered,
 * and Helm's message names the offending value.
 */
class HelmChartSchemaTests {

    private static final String SCHEMA_FAILURE = "values don't meet the specifications of the schema";

    @ParameterizedTest(name = "--set {0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            replicaCount                                 | -1       | at '/replicaCount': minimum
            ports.echo                                   | 70000    | at '/ports/echo': maximum
            ports.management                             | 0        | at '/ports/management': minimum
            ports.chat                                   | chat     | at '/ports/chat': got string, want integer
            asyncore.channel.idleTimeout                 | soon     | at '/asyncore/channel/idleTimeout': 'soon' does not match pattern
            asyncore.loop.stallThreshold                 | 0s       | at '/asyncore/loop/stallThreshold'
            asyncore.loop.threads                        | 0        | at '/asyncore/loop/threads': minimum
            asyncore.events.queueCapacity                | 0        | at '/asyncore/events/queueCapacity': minimum
            asyncore.dispatchers.chatServer.maxFrameSize | 1KiB     | at '/asyncore/dispatchers/chatServer/maxFrameSize'
            asyncore.dispatchers.echoserver.idleTimeout  | 1m       | additional properties 'echoserver' not allowed
            fetch.readTimeout                            | 10       | at '/fetch/readTimeout'
            fetch.allowedNetworks[0]                     | 10.20.0.0 | at '/fetch/allowedNetworks/0': '10.20.0.0' does not match pattern
            fetch.allowedNetworks[0]                     | 10.20.0.0/33 | at '/fetch/allowedNetworks/0'
            fetch.allowedNetworks                        | 10.20.0.0/16 | at '/fetch/allowedNetworks': got string, want array
            fetch.allowedPorts[0]                        | 70000    | at '/fetch/allowedPorts/0': maximum
            fetch.maxConcurrent                          | 0        | at '/fetch/maxConcurrent': minimum
            tls.allowDevelopmentCertificate              | yes      | at '/tls/allowDevelopmentCertificate': got string, want boolean
            tls.allowDevelopmentCertifcate               | true     | additional properties 'allowDevelopmentCertifcate' not allowed
            management.address                           | localhost | at '/management/address'
            management.adress                            | 0.0.0.0  | additional properties 'adress' not allowed
            networkPolicy.enabled                        | no       | at '/networkPolicy/enabled': got string, want boolean
            networkPolicy.management.fromCidrs[0]        | 10.1.2.3 | at '/networkPolicy/management/fromCidrs/0'
            networkPolicy.management.prometheus.podLabels.app | 3   | got number, want string
            networkPolicy.management.prometheus.labels.app | prom   | additional properties 'labels' not allowed
            networkPolicy.services.from[0].podSelecter.matchLabels.app | web | additional properties 'podSelecter' not allowed
            networkPolicy.services.from[0].ipBlock.except[0] | 10.0.0.0/8 | missing property 'cidr'
            networkPolicy.egress[0].ports[0].protocol    | ICMP     | at '/networkPolicy/egress/0/ports/0/protocol': value must be one of
            networkPolicy.egress[0].too[0].ipBlock.cidr  | 10.0.0.0/8 | additional properties 'too' not allowed
            chat.maxLinesPerSecond                       | 0        | at '/chat/maxLinesPerSecond'
            chat.burst                                   | 0        | at '/chat/burst': minimum
            udp.burst                                    | 0        | at '/udp/burst': minimum
            udp.minSourcePort                            | 65536    | at '/udp/minSourcePort': maximum
            service.type                                 | External | at '/service/type': value must be one of
            image.pullPolicy                             | Sometimes| at '/image/pullPolicy': value must be one of
            autoscaling.enabled                          | yes      | at '/autoscaling/enabled': got string, want boolean
            podDisruptionBudget.maxUnavailable           | 0        | at '/podDisruptionBudget/maxUnavailable'
            replicaCont                                  | 2        | additional properties 'replicaCont' not allowed
            asyncore.loop.maxOutputMemory                | 64MiB    | at '/asyncore/loop/maxOutputMemory'
            asyncore.channel.outputHardLimit             | 0MB      | at '/asyncore/channel/outputHardLimit'
            asyncore.dispatchers.echoServer.outputSoftLimit | 1 MB  | at '/asyncore/dispatchers/echoServer/outputSoftLimit'
            asyncore.channel.outputSoftLimitDuration     | 0s       | at '/asyncore/channel/outputSoftLimitDuration'
            jvm.heapMiB                                  | 8        | at '/jvm/heapMiB': minimum
            jvm.heapMiB                                  | 192m     | at '/jvm/heapMiB': got string, want integer
            jvm.initialHeapMiB                           | -1       | at '/jvm/initialHeapMiB': minimum
            jvm.threadStackKiB                           | 128      | at '/jvm/threadStackKiB': minimum
            jvm.threads                                  | 0        | at '/jvm/threads': minimum
            jvm.maxHeapMiB                               | 256      | additional properties 'maxHeapMiB' not allowed
            javaToolOptions                              | -Xmx1g   | additional properties 'javaToolOptions' not allowed
            resources.limits.memory                      | 512M     | at '/resources/limits/memory': '512M' does not match pattern
            resources.limits.memory                      | 0.5Gi    | at '/resources/limits/memory'
            resources.limits.memory                      | null     | at '/resources/limits': missing property 'memory'
            chat.relay                                   | cluster  | at '/chat/relay': value must be one of 'local', 'redis'
            chat.redis.existingSecret                    | Redis_Secret | at '/chat/redis/existingSecret': 'Redis_Secret' does not match pattern
            chat.redis.passwordKey                       | ''       | at '/chat/redis/passwordKey': '' does not match pattern
            chat.redis.host                              | redis    | additional properties 'host' not allowed
            redis.maxMemory                              | 64MB     | at '/redis/maxMemory': '64MB' does not match pattern
            redis.image.tag                              | ''       | at '/redis/image/tag': minLength
            redis.replicas                               | 3        | additional properties 'replicas' not allowed
            """)
    void rejectsABadValue(String key, String value, String message) {
        assertThatIllegalStateException().isThrownBy(() -> HelmChart.template(null, Map.of(key, value)))
                .withMessageContaining(SCHEMA_FAILURE)
                .withMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            chat.relay=redis                                             | at '/chat/redis/url': minLength: got 0, want 1
            chat.relay=redis                                             | at '/redis/enabled': value must be true
            chat.relay=redis;redis.enabled=true;chat.redis.url=redis://h | at '/chat/redis/url': maxLength: got 9, want 0
            redis.enabled=true                                           | at '/chat/relay': value must be 'redis'
            chat.relay=redis;chat.redis.url=redis://chat:secret@h:6379   | at '/chat/redis/url': 'redis://chat:secret@h:6379' does not match pattern '^[^@]*$'
            chat.relay=redis;chat.redis.url=rediss://:secret@h           | at '/chat/redis/url': 'rediss://:secret@h' does not match pattern '^[^@]*$'
            chat.relay=redis;chat.redis.url=http://h:6379                | at '/chat/redis/url': 'http://h:6379' does not match pattern '^(rediss?://.*)?$'
            chat.relay=redis;chat.redis.url=h:6379                       | at '/chat/redis/url': 'h:6379' does not match pattern '^(rediss?://.*)?$'
            chat.relay=redis;chat.redis.url=redis://h:65536              | at '/chat/redis/url': 'redis://h:65536' does not match pattern
            chat.relay=redis;chat.redis.url=redis://h/0?ssl=true         | at '/chat/redis/url': 'redis://h/0?ssl=true' does not match pattern
            chat.relay=redis;chat.redis.url=redis://h/db                 | at '/chat/redis/url': 'redis://h/db' does not match pattern
            """)
    void rejectsARelayWithoutExactlyOneWellFormedRedis(String sets, String message) {
        Map<String, Object> values = new HashMap<>();
        for (String set : sets.split(";")) {
            String[] keyValue = set.split("=", 2);
            values.put(keyValue[0], keyValue[1].equals("true") ? Boolean.TRUE : keyValue[1]);
        }
        assertThatIllegalStateException().isThrownBy(() -> HelmChart.template(null, values))
                .withMessageContaining(SCHEMA_FAILURE)
                .withMessageContaining(message);
    }

    @Test
    void acceptsARelayWithOneRedis() {
        assertThat(HelmChart.template(null, Map.of("chat.relay", "redis", "redis.enabled", true)).all(Deployment.class))
                .hasSize(2);
        assertThat(HelmChart.template(null, Map.of("chat.relay", "redis", "chat.redis.url", "rediss://h.example:65535/0"))
                .all(Deployment.class)).hasSize(1);
        assertThat(HelmChart.template(null, Map.of("chat.redis.url", "redis://h", "chat.redis.existingSecret", "s"))
                .objects()).as("Redis settings lie unused with relay local").isNotEmpty();
    }

    @Test
    void rejectsTwoTcpPortsWithOneNumber() {
        assertThatIllegalStateException()
                .isThrownBy(() -> HelmChart.template(null, Map.of("ports.management", 8080)))
                .withMessageContaining("ports.echo, ports.chat, ports.tlsEcho, ports.http and ports.management must all differ");
        assertThat(HelmChart.template(null, Map.of("ports.udpEcho", 7007)).objects()).as("UDP may share a number with TCP")
                .isNotEmpty();
        assertThat(HelmChart.template(null, Map.of("ports.tlsEcho", 8080)).objects())
                .as("the TLS echo's port counts only when the chart serves TLS").isNotEmpty();
        assertThatIllegalStateException()
                .isThrownBy(() -> HelmChart.template(null,
                        Map.of("ports.tlsEcho", 8080, "tls.allowDevelopmentCertificate", true)))
                .withMessageContaining("must all differ");
    }

    @Test
    void acceptsValuesAtTheLimits() {
        Rendering rendering = HelmChart.template(null, Map.of("replicaCount", 0, "ports.echo", 65535, "ports.chat", 1,
                "asyncore.channel.idleTimeout", "0s", "asyncore.dispatchers.udpEchoServer.idleTimeout", "2d",
                "podDisruptionBudget.maxUnavailable", "100%"));
        assertThat(rendering.one(Deployment.class).getSpec().getReplicas()).isZero();
        assertThat(HelmChartTests.container(rendering).getPorts()).extracting("containerPort").contains(65535, 1);
        assertThat(HelmChartTests.at(HelmChartTests.applicationYml(rendering).get(0), "asyncore", "dispatchers",
                "udpEchoServer", "idle-timeout")).isEqualTo("2d");
    }

}
