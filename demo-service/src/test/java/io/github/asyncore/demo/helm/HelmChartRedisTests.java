package io.github.asyncore.demo.helm;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.github.asyncore.demo.helm.HelmChart.Rendering;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.github.asyncore.demo.helm.HelmChartTests.applicationYml;
import static io.github.asyncore.demo.helm.HelmChartTests.at;
import static io.github.asyncore.demo.helm.HelmChartTests.container;
import static io.github.asyncore.demo.helm.HelmChartTests.demo;
import static io.github.asyncore.demo.helm.HelmChartTests.env;
import static io.github.asyncore.demo.helm.HelmChartTests.secretVariable;
import static io.github.asyncore.demo.helm.HelmChartTests.testPod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * chat.relay redis in the chart: how the pods find an external Redis (chat.redis.url) or the chart's own
 * (redis.enabled), the Redis Deployment, Service and NetworkPolicy, the way out through the demo's egress
 * rules, and the {@code helm test} pod that checks a line crosses two pods.
 */
class HelmChartRedisTests {

    private static final Path REDIS = HelmChart.DIRECTORY.resolve("ci/redis-values.yaml");

    private static final String REDIS_NAME = "demo-asyncore-demo-redis";

    private static final String CHAT_PODS = "demo-asyncore-demo-chat-pods";

    private static final Map<String, String> REDIS_SELECTOR = Map.of("app.kubernetes.io/name", "redis",
            "app.kubernetes.io/instance", "demo", "app.kubernetes.io/component", "redis");

    private static final Map<String, String> SERVER_LABELS = Map.of("app.kubernetes.io/name", "asyncore-demo",
            "app.kubernetes.io/instance", "demo", "app.kubernetes.io/component", "server");

    @Test
    void theQuickStartHasNoRedisAnywhere() {
        Rendering rendering = HelmChart.template(null);
        assertThat(rendering.all(Deployment.class)).singleElement().isSameAs(demo(rendering));
        assertThat(rendering.all(Service.class)).extracting((service) -> service.getMetadata().getName())
                .doesNotContain(REDIS_NAME, CHAT_PODS);
        assertThat(rendering.hooks()).extracting((hook) -> hook.getMetadata().getName())
                .containsExactly("demo-asyncore-demo-test-echo");
        Map<String, Object> config = applicationYml(rendering).get(0);
        assertThat(config).doesNotContainKey("spring");
        assertThat(at(config, "demo", "chat")).isEqualTo(Map.of("max-lines-per-second", 10, "burst", 20, "relay", "local"));
        assertThat(env(container(rendering))).doesNotContainKey("SPRING_DATA_REDIS_PASSWORD");
    }

    @Test
    void theChartsRedisIsOneLockedDownPodWithoutPersistence() {
        Rendering rendering = HelmChart.template(REDIS);
        Deployment redis = rendering.named(Deployment.class, REDIS_NAME);
        assertThat(redis.getSpec().getReplicas()).isEqualTo(1);
        assertThat(redis.getSpec().getStrategy().getType()).as("never two Redis at once").isEqualTo("Recreate");
        assertThat(redis.getSpec().getSelector().getMatchLabels()).isEqualTo(REDIS_SELECTOR);

        PodSpec pod = redis.getSpec().getTemplate().getSpec();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).as("the image's redis user").isEqualTo(999);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getContainers()).hasSize(1);
        Container container = pod.getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("docker.io/library/redis:7.2-alpine");
        SecurityContext security = container.getSecurityContext();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();

        assertThat(container.getResources().getRequests()).isEqualTo(Map.of("cpu", new Quantity("20m"),
                "memory", new Quantity("96Mi")));
        assertThat(container.getResources().getLimits()).isEqualTo(Map.of("cpu", new Quantity("200m"),
                "memory", new Quantity("96Mi")));

        assertThat(container.getCommand()).containsExactly("redis-server");
        assertThat(String.join(" ", container.getArgs())).isEqualTo("--port 6379 --save  --appendonly no "
                + "--maxmemory 32mb --maxmemory-policy noeviction --protected-mode no --requirepass $(REDIS_PASSWORD)");
        assertThat(container.getArgs().get(3)).as("--save \"\": no snapshots").isEmpty();
        assertThat(secretVariable(container, "REDIS_PASSWORD")).isEqualTo(List.of("asyncore-demo-redis", "password", false));
        assertThat(secretVariable(container, "REDISCLI_AUTH")).isEqualTo(List.of("asyncore-demo-redis", "password", false));

        assertThat(container.getPorts()).extracting("name", "containerPort", "protocol")
                .containsExactly(tuple("redis", 6379, "TCP"));
        assertThat(container.getLivenessProbe().getTcpSocket().getPort()).isEqualTo(new IntOrString("redis"));
        assertThat(container.getReadinessProbe().getExec().getCommand())
                .containsExactly("sh", "-c", "test \"$(redis-cli -p 6379 ping)\" = PONG");

        VolumeMount data = container.getVolumeMounts().stream().filter((mount) -> mount.getMountPath().equals("/data"))
                .findFirst().orElseThrow();
        Volume volume = pod.getVolumes().stream().filter((each) -> each.getName().equals(data.getName()))
                .findFirst().orElseThrow();
        assertThat(volume.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("16Mi"));
    }

    @Test
    void withoutASecretTheChartsRedisAsksForNoPassword() {
        Rendering rendering = HelmChart.template(null, Map.of("chat.relay", "redis", "redis.enabled", true));
        Container redis = rendering.named(Deployment.class, REDIS_NAME).getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertThat(redis.getArgs()).doesNotContain("--requirepass");
        assertThat(redis.getEnv()).isNullOrEmpty();
        assertThat(redis.getArgs()).containsSubsequence("--maxmemory", "64mb");
        assertThat(env(container(rendering))).doesNotContainKey("SPRING_DATA_REDIS_PASSWORD");
    }

    @Test
    void theDemoFindsTheChartsRedisThroughItsServiceAndNoSelectorOfTheDemoPicksRedis() {
        Rendering rendering = HelmChart.template(REDIS);
        Service service = rendering.named(Service.class, REDIS_NAME);
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getSelector()).isEqualTo(REDIS_SELECTOR);
        assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getPort,
                (port) -> port.getTargetPort().getStrVal()).containsExactly(tuple("redis", 6379, "redis"));

        Map<String, Object> config = applicationYml(rendering).get(0);
        assertThat(at(config, "spring", "data", "redis")).isEqualTo(Map.of("host", REDIS_NAME, "port", 6379,
                "database", 0, "ssl", Map.of("enabled", false)));
        assertThat(at(config, "demo", "chat", "relay")).isEqualTo("redis");
        assertThat(at(config, "demo", "chat", "redis-channel")).as("one channel per release")
                .isEqualTo("asyncore-demo:chat:apps:demo");
        assertThat(secretVariable(container(rendering), "SPRING_DATA_REDIS_PASSWORD"))
                .isEqualTo(List.of("asyncore-demo-redis", "password", false));

        Map<String, String> redisPod = rendering.named(Deployment.class, REDIS_NAME).getSpec().getTemplate()
                .getMetadata().getLabels();
        assertThat(redisPod).containsAllEntriesOf(REDIS_SELECTOR);
        assertThat(redisPod.entrySet().containsAll(demo(rendering).getSpec().getSelector().getMatchLabels().entrySet()))
                .as("the demo's Deployment selects the Redis pod").isFalse();
        for (Service other : rendering.all(Service.class)) {
            if (!other.getMetadata().getName().equals(REDIS_NAME)) {
                assertThat(redisPod.entrySet().containsAll(other.getSpec().getSelector().entrySet()))
                        .as("%s selects the Redis pod", other.getMetadata().getName()).isFalse();
            }
        }
    }

    @Test
    void onlyTheDemosPodsReachTheChartsRedisAndRedisReachesNothing() {
        Rendering rendering = HelmChart.template(REDIS);
        NetworkPolicy policy = rendering.named(NetworkPolicy.class, REDIS_NAME);
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(REDIS_SELECTOR);
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(policy.getSpec().getEgress()).as("no rule: Redis connects nowhere").isEmpty();
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies((rule) -> {
            assertThat(rule.getPorts()).extracting((port) -> port.getPort().getStrVal(), NetworkPolicyPort::getProtocol)
                    .containsExactly(tuple("redis", "TCP"));
            assertThat(rule.getFrom()).singleElement().satisfies((peer) -> {
                assertThat(peer.getPodSelector().getMatchLabels()).isEqualTo(SERVER_LABELS);
                assertThat(peer.getNamespaceSelector()).as("the release's namespace").isNull();
                assertThat(peer.getIpBlock()).isNull();
            });
        });
        assertThat(HelmChartTests.podLabelsOf(demo(rendering))).containsAllEntriesOf(SERVER_LABELS);

        assertThat(HelmChart.template(REDIS, Map.of("networkPolicy.enabled", false)).all(NetworkPolicy.class)).isEmpty();
        assertThat(HelmChart.notes(REDIS)).contains("Redis:           the demo's pods only, on 6379");
    }

    @Test
    void egressRulesGetTheWayToTheChartsRedisAndOpenEgressStaysOpen() {
        NetworkPolicy egress = HelmChart.template(REDIS).named(NetworkPolicy.class, "demo-asyncore-demo-egress");
        List<NetworkPolicyEgressRule> rules = egress.getSpec().getEgress();
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).getPorts()).extracting((port) -> port.getPort().getIntVal())
                .as("the values' DNS rule first").containsExactly(53, 53);
        assertThat(rules.get(1).getTo()).singleElement().satisfies((peer) -> {
            assertThat(peer.getPodSelector().getMatchLabels()).isEqualTo(REDIS_SELECTOR);
            assertThat(peer.getNamespaceSelector()).isNull();
        });
        assertThat(rules.get(1).getPorts()).extracting((port) -> port.getPort().getIntVal(), NetworkPolicyPort::getProtocol)
                .containsExactly(tuple(6379, "TCP"));

        Rendering open = HelmChart.template(null, Map.of("chat.relay", "redis", "redis.enabled", true));
        assertThat(open.all(NetworkPolicy.class)).extracting((policy) -> policy.getMetadata().getName())
                .as("no egress rules: egress stays open, Redis included")
                .containsExactlyInAnyOrder("demo-asyncore-demo", "demo-asyncore-demo-management", REDIS_NAME);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            redis://redis.example.internal           | redis.example.internal | 6379 | 0  | false
            rediss://redis.example.internal:6380/2   | redis.example.internal | 6380 | 2  | true
            redis://10.1.2.3:7000/                   | 10.1.2.3               | 7000 | 0  | false
            rediss://[fd00::10]:6390/15              | fd00::10               | 6390 | 15 | true
            """)
    void anExternalRedisUrlBecomesHostPortDatabaseAndSsl(String url, String host, int port, int database, boolean ssl) {
        Rendering rendering = HelmChart.template(null, Map.of("chat.relay", "redis", "chat.redis.url", url));
        Map<String, Object> config = applicationYml(rendering).get(0);
        assertThat(at(config, "spring", "data", "redis")).as("no url: Spring Boot would ignore the Secret's password")
                .isEqualTo(Map.of("host", host, "port", port, "database", database, "ssl", Map.of("enabled", ssl)));
        assertThat(rendering.all(Deployment.class)).as("no Redis of the chart's").hasSize(1);
        assertThat(rendering.all(Service.class)).extracting((service) -> service.getMetadata().getName())
                .doesNotContain(REDIS_NAME);
        assertThat(env(container(rendering))).as("no Secret named: no password").doesNotContainKey(
                "SPRING_DATA_REDIS_PASSWORD");
    }

    @Test
    void thePasswordOfAnExternalRedisComesFromTheSecretAndTheChannelFromTheValues() {
        Rendering rendering = HelmChart.template(null, Map.of("chat.relay", "redis",
                "chat.redis.url", "rediss://redis.example.internal:6380/2", "chat.redis.existingSecret", "chat-redis",
                "chat.redis.passwordKey", "redis-password", "chat.redis.channel", "team-a:chat"));
        assertThat(secretVariable(container(rendering), "SPRING_DATA_REDIS_PASSWORD"))
                .isEqualTo(List.of("chat-redis", "redis-password", false));
        String applicationYml = rendering.one(ConfigMap.class).getData().get("application.yml");
        assertThat(applicationYml).doesNotContain("password:", "url:", "redis-password");
        assertThat(at(applicationYml(rendering).get(0), "demo", "chat", "redis-channel")).isEqualTo("team-a:chat");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            the URL's port               | port=6380                 | true
            a range holding it           | port=6000;endPort=6999    | true
            every port of the peers      | protocol=TCP              | true
            another port                 | port=6379                 | false
            the port over UDP            | port=6380;protocol=UDP    | false
            """)
    void egressRulesMustLetThePodsReachAnExternalRedis(String name, String port, boolean allowed) {
        Map<String, Object> sets = new HashMap<>(Map.of("chat.relay", "redis",
                "chat.redis.url", "redis://redis.example.internal:6380",
                "networkPolicy.egress[0].to[0].ipBlock.cidr", "192.0.2.10/32"));
        for (String pair : port.split(";")) {
            String[] keyValue = pair.split("=");
            Object value = keyValue[0].equals("protocol") ? keyValue[1] : Integer.valueOf(keyValue[1]);
            sets.put("networkPolicy.egress[0].ports[0]." + keyValue[0], value);
        }
        if (allowed) {
            assertThat(HelmChart.template(null, sets).named(NetworkPolicy.class, "demo-asyncore-demo-egress")
                    .getSpec().getEgress()).as("the values' rules, nothing added").hasSize(1);
        }
        else {
            assertThatIllegalStateException().isThrownBy(() -> HelmChart.template(null, sets))
                    .withMessageContaining("networkPolicy.egress has rules, and none lets the pods reach chat.redis.url's "
                            + "port 6380/TCP");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            local, three pods                   | local | 3 | false | 1 | false
            redis, one pod                      | redis | 1 | false | 1 | false
            redis, two pods                     | redis | 2 | false | 1 | true
            redis, an autoscaler from one pod   | redis | 5 | true  | 1 | false
            redis, an autoscaler from two pods  | redis | 1 | true  | 2 | true
            """)
    void theRelayTestRunsOnlyWhereTwoPodsAreSure(String name, String relay, int replicas, boolean autoscaling,
            int minReplicas, boolean expected) {
        Map<String, Object> sets = new HashMap<>(Map.of("chat.relay", relay, "replicaCount", replicas,
                "autoscaling.enabled", autoscaling, "autoscaling.minReplicas", minReplicas));
        if (relay.equals("redis")) {
            sets.put("redis.enabled", true);
        }
        Rendering rendering = HelmChart.template(null, sets);
        assertThat(rendering.hooks()).extracting((hook) -> hook.getMetadata().getName()).as(name)
                .containsExactlyElementsOf(expected ? List.of("demo-asyncore-demo-test-echo", "demo-asyncore-demo-test-relay")
                        : List.of("demo-asyncore-demo-test-echo"));
        List<String> services = rendering.all(Service.class).stream().map((service) -> service.getMetadata().getName())
                .toList();
        if (relay.equals("redis")) {
            assertThat(services).as("the headless chat Service, whatever the pod count").contains(CHAT_PODS);
        }
        else {
            assertThat(services).doesNotContain(CHAT_PODS);
        }
    }

    @Test
    void theRelayTestJoinsTheChatOnOnePodAndSpeaksOnAnotherThroughTheHeadlessService() {
        Rendering rendering = HelmChart.template(REDIS);
        Service pods = rendering.named(Service.class, CHAT_PODS);
        assertThat(pods.getSpec().getClusterIP()).as("headless: DNS lists every ready pod").isEqualTo("None");
        assertThat(pods.getSpec().getPublishNotReadyAddresses()).isFalse();
        assertThat(pods.getSpec().getSelector()).isEqualTo(demo(rendering).getSpec().getSelector().getMatchLabels());
        assertThat(pods.getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getPort,
                (port) -> port.getTargetPort().getStrVal()).containsExactly(tuple("chat", 7008, "chat"));

        Pod test = testPod(rendering, "test-relay");
        assertThat(test.getMetadata().getAnnotations()).containsEntry("helm.sh/hook", "test");
        assertThat(test.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "test");
        assertThat(test.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(test.getSpec().getActiveDeadlineSeconds()).isBetween(60L, 120L);
        Container container = test.getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("busybox:1.37");
        assertThat(env(container)).containsEntry("PODS_HOST", CHAT_PODS).containsEntry("CHAT_PORT", "7008")
                .containsEntry("LINE_TIMEOUT", "30");
        assertThat(String.join("\n", container.getCommand())).contains("nslookup \"$PODS_HOST\"",
                "[ \"$#\" -lt 2 ]", "mkfifo /work/in", "nc \"$listener\" \"$CHAT_PORT\" < /work/in > /work/heard &",
                "nc -w 5 \"$speaker\" \"$CHAT_PORT\"", "grep -qF \"$line\" /work/heard");
        VolumeMount work = container.getVolumeMounts().get(0);
        assertThat(work.getMountPath()).isEqualTo("/work");
        assertThat(test.getSpec().getVolumes()).singleElement()
                .satisfies((volume) -> assertThat(volume.getEmptyDir()).isNotNull());
        assertThat(HelmChart.notes(REDIS)).contains("(echo round trip; a chat line crossing two pods)",
                "Chat: one room across the pods, through Redis pub/sub (the chart's own Redis, demo-asyncore-demo-redis, "
                        + "password from the Secret asyncore-demo-redis)");
    }

}
