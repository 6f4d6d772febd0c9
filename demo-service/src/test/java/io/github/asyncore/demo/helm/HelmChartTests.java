package io.github.asyncore.demo.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.github.asyncore.demo.helm.HelmChart.Rendering;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The chart rendered by Helm with its defaults and with each {@code ci/*-values.yaml}: it lints, every
 * object is a well-formed Kubernetes object, and what the pod is told (ports, probes, config) agrees with
 * what the demo service really does.
 */
class HelmChartTests {

    private static final Path CUSTOM = HelmChart.DIRECTORY.resolve("ci/custom-values.yaml");

    private static final Path TRYOUT = HelmChart.DIRECTORY.resolve("ci/tryout-values.yaml");

    private static final Path REDIS = HelmChart.DIRECTORY.resolve("ci/redis-values.yaml");

    /**
     * What each values file renders besides the Deployment, ConfigMap and ServiceAccount: NetworkPolicies,
     * Services and {@code helm test} pods.
     */
    private static final Map<String, List<Integer>> COUNTS = Map.of(
            "default-values.yaml", List.of(2, 2, 1),
            "tryout-values.yaml", List.of(0, 2, 1),
            // egress rules; relay redis through an external Redis: the headless chat Service, the relay test
            "custom-values.yaml", List.of(3, 3, 2),
            // egress rules, the Redis's policy; its Service and the headless one; the relay test
            "redis-values.yaml", List.of(4, 4, 2));

    /** Protocols of the container ports, by port name, when the chart serves no TLS. */
    private static final Map<String, String> PROTOCOLS = Map.of("echo", "TCP", "chat", "TCP", "udp-echo", "UDP",
            "http", "TCP", "management", "TCP");

    static List<Path> variants() {
        return HelmChart.ciValuesFiles();
    }

    @Test
    void variantsAreTheDefaultsACustomisedReleaseATryOutAndTheChartsOwnRedis() {
        assertThat(variants()).extracting((file) -> file.getFileName().toString())
                .containsExactlyInAnyOrderElementsOf(COUNTS.keySet());
    }

    @Test
    void lintStrictPasses() {
        LintResult lint = HelmChart.lintStrict();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch((message) -> message.contains("[WARNING]") || message.contains("[ERROR]"));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void rendersTypedObjectsWithoutUnknownFields(Path values) {
        Rendering rendering = HelmChart.template(values);
        assertThat(rendering.objects()).extracting(HasMetadata::getKind)
                .contains("Deployment", "Service", "ConfigMap", "ServiceAccount");
        List<Integer> counts = COUNTS.get(values.getFileName().toString());
        assertThat(rendering.all(NetworkPolicy.class)).as("NetworkPolicies unless switched off").hasSize(counts.get(0));
        assertThat(rendering.all(Service.class)).hasSize(counts.get(1));
        assertThat(rendering.hooks()).hasSize(counts.get(2));
        Stream.concat(rendering.objects().stream(), rendering.hooks().stream())
                .forEach((object) -> assertThat(UnknownFields.in(object)).as("fields fabric8 does not know").isEmpty());
    }

    @Test
    void typoGuardCatchesAMisspeltField() {
        Rendering rendering = HelmChart.template(null, Map.of("securityContext.readOnlyRootFileSystem", true));
        assertThat(UnknownFields.in(rendering.one(Deployment.class)))
                .containsExactly("Deployment/demo-asyncore-demo.spec.template.spec.containers[0].securityContext: "
                        + "[readOnlyRootFileSystem]");
    }

    @Test
    void imageTagDefaultsToTheAppVersion() {
        assertThat(container(HelmChart.template(null)).getImage()).isEqualTo("asyncore-demo-service:0.1.0");
        assertThat(container(HelmChart.template(CUSTOM)).getImage())
                .isEqualTo("registry.example.com/asyncore/asyncore-demo-service:0.1.0-rc1");
    }

    @ParameterizedTest
    @MethodSource("variants")
    void probesCallTheHealthGroupsOnTheManagementPortOfTheRenderedApplicationYml(Path values) {
        Rendering rendering = HelmChart.template(values);
        Container container = container(rendering);
        Map<String, Object> config = applicationYml(rendering).get(0);
        Object managementPort = at(config, "management", "server", "port");
        assertThat(at(config, "management", "endpoint", "health", "probes", "enabled")).isEqualTo(true);

        HTTPGetAction startup = container.getStartupProbe().getHttpGet();
        HTTPGetAction liveness = container.getLivenessProbe().getHttpGet();
        HTTPGetAction readiness = container.getReadinessProbe().getHttpGet();
        assertThat(startup.getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(liveness.getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(readiness.getPath()).isEqualTo("/actuator/health/readiness");
        for (HTTPGetAction probe : List.of(startup, liveness, readiness)) {
            assertThat(containerPort(container, probe.getPort().getStrVal()).getContainerPort()).isEqualTo(managementPort);
            assertThat(probe.getScheme()).isIn(null, "HTTP");
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void containerPortsMatchTheServicesAndTheApplicationYml(Path values) throws IOException {
        Rendering rendering = HelmChart.template(values);
        Container container = container(rendering);
        boolean tls = servesTls(values);
        Map<String, String> expected = new HashMap<>(PROTOCOLS);
        if (tls) {
            expected.put("tls-echo", "TCP");
        }
        assertThat(container.getPorts().stream()
                .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getProtocol))).isEqualTo(expected);
        for (Service service : demoServices(rendering)) {
            for (ServicePort port : service.getSpec().getPorts()) {
                ContainerPort target = containerPort(container, port.getTargetPort().getStrVal());
                assertThat(port.getName()).isEqualTo(target.getName());
                assertThat(port.getProtocol()).isEqualTo(target.getProtocol());
                assertThat(port.getPort()).isEqualTo(target.getContainerPort());
            }
            assertThat(podLabels(rendering)).containsAllEntriesOf(service.getSpec().getSelector());
        }
        Service protocols = rendering.named(Service.class, "demo-asyncore-demo");
        Service management = rendering.named(Service.class, "demo-asyncore-demo-management");
        assertThat(protocols.getSpec().getPorts()).extracting(ServicePort::getName).containsExactlyElementsOf(
                tls ? List.of("echo", "chat", "udp-echo", "tls-echo", "http")
                        : List.of("echo", "chat", "udp-echo", "http"));
        assertThat(management.getSpec().getPorts()).extracting(ServicePort::getName).containsExactly("management");
        assertThat(management.getSpec().getType()).isEqualTo("ClusterIP");

        Map<String, Object> config = applicationYml(rendering).get(0);
        assertThat(at(config, "server", "port")).isEqualTo(containerPort(container, "http").getContainerPort());
        assertThat(at(config, "asyncore", "dispatchers", "echoServer", "address"))
                .isEqualTo(String.valueOf(containerPort(container, "echo").getContainerPort()));
        assertThat(at(config, "asyncore", "dispatchers", "chatServer", "address"))
                .isEqualTo(String.valueOf(containerPort(container, "chat").getContainerPort()));
        assertThat(at(config, "asyncore", "dispatchers", "udpEchoServer", "address"))
                .isEqualTo(String.valueOf(containerPort(container, "udp-echo").getContainerPort()));
        assertThat(at(config, "asyncore", "dispatchers", "udpEchoServer", "type")).isEqualTo("datagram");
        if (tls) {
            assertThat(at(config, "asyncore", "dispatchers", "tlsEchoServer", "address"))
                    .isEqualTo(String.valueOf(containerPort(container, "tls-echo").getContainerPort()));
            assertThat(at(config, "asyncore", "dispatchers", "tlsEchoServer", "ssl", "bundle")).isEqualTo("demo-tls");
        }
        assertThat(at(config, "demo", "tls-echo", "enabled")).isEqualTo(tls);
    }

    @Test
    void withoutASecretOrTheDevelopmentSwitchThereIsNoTlsAnywhere() {
        Rendering rendering = HelmChart.template(null);
        assertThat(container(rendering).getPorts()).extracting(ContainerPort::getName).doesNotContain("tls-echo");
        assertThat(container(rendering).getPorts()).extracting(ContainerPort::getContainerPort).doesNotContain(7443);
        for (Service service : rendering.all(Service.class)) {
            assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName).doesNotContain("tls-echo");
            assertThat(service.getSpec().getPorts()).extracting(ServicePort::getPort).doesNotContain(7443);
        }
        assertThat(rendering.all(NetworkPolicy.class)).flatExtracting(HelmChartTests::ingressPorts)
                .doesNotContain("tls-echo");
        assertThat(rendering.one(Deployment.class).getSpec().getTemplate().getSpec().getVolumes())
                .extracting(Volume::getName).doesNotContain("tls");

        assertThat(rendering.one(ConfigMap.class).getData().get("application.yml"))
                .doesNotContain("7443", "tlsEchoServer", "ssl:");
        Map<String, Object> config = applicationYml(rendering).get(0);
        assertThat(config).doesNotContainKey("spring");
        assertThat(settings(config, "tlsEchoServer")).isNull();
        assertThat(at(config, "demo", "tls-echo", "enabled")).as("the jar's TLS echo switched off").isEqualTo(false);
        assertThat(at(config, "demo", "fetch", "trust-bundle")).as("the JDK's default certificate authorities")
                .isEqualTo("");

        assertThat(HelmChart.notes(null)).contains("TLS: none. Without tls.secretName the release serves no TLS port",
                "port-forward service/demo-asyncore-demo 7007 7008 8080\n")
                .doesNotContain("7443", "s_client", "DEVELOPMENT certificate");
    }

    @ParameterizedTest(name = "--set {0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            tls.secretName                  | demo-cert | the TLS echo presents the certificate of the Secret demo-cert
            tls.allowDevelopmentCertificate | true      | the TLS echo presents the image's self-signed DEVELOPMENT certificate
            """)
    void tlsIsServedWithASecretOrTheDevelopmentCertificateOnPurpose(String key, String value, String notice) {
        Map<String, Object> set = Map.of(key, key.equals("tls.secretName") ? value : Boolean.valueOf(value));
        Rendering rendering = HelmChart.template(null, set);
        assertThat(containerPort(container(rendering), "tls-echo").getContainerPort()).isEqualTo(7443);
        assertThat(servicePort(rendering.named(Service.class, "demo-asyncore-demo"), "tls-echo")).isEqualTo(7443);
        assertThat(ingressPorts(rendering.named(NetworkPolicy.class, "demo-asyncore-demo"))).contains("tls-echo");
        Map<String, Object> config = applicationYml(rendering).get(0);
        assertThat(at(config, "asyncore", "dispatchers", "tlsEchoServer", "address")).isEqualTo("7443");
        assertThat(at(config, "asyncore", "dispatchers", "tlsEchoServer", "ssl", "bundle")).isEqualTo("demo-tls");
        assertThat(at(config, "demo", "tls-echo", "enabled")).isEqualTo(true);
        assertThat(at(config, "demo", "fetch", "trust-bundle")).isEqualTo("demo-tls");
        assertThat(HelmChart.notes(null, set)).contains(notice, "openssl s_client -connect 127.0.0.1:7443",
                "port-forward service/demo-asyncore-demo 7007 7008 7443 8080");
    }

    @Test
    void aTrustBundleOfTheOperatorsOwnStaysWithoutTls() {
        Rendering rendering = HelmChart.template(null, Map.of("fetch.trustBundle", "corporate-ca"));
        Map<String, Object> config = applicationYml(rendering).get(0);
        assertThat(at(config, "demo", "fetch", "trust-bundle")).isEqualTo("corporate-ca");
        assertThat(at(config, "demo", "tls-echo", "enabled")).isEqualTo(false);
    }

    @Test
    void aTlsSecretIsMountedAndBecomesTheBundleOfTheTlsEcho() {
        Rendering plain = HelmChart.template(null);
        assertThat(plain.one(Deployment.class).getSpec().getTemplate().getSpec().getVolumes())
                .extracting(Volume::getName).doesNotContain("tls");
        assertThat(applicationYml(plain).get(0)).doesNotContainKey("spring");
        Rendering development = HelmChart.template(null, Map.of("tls.allowDevelopmentCertificate", true));
        assertThat(development.one(Deployment.class).getSpec().getTemplate().getSpec().getVolumes())
                .extracting(Volume::getName).doesNotContain("tls");
        assertThat(applicationYml(development).get(0)).as("the jar's own demo-tls: the development certificate")
                .doesNotContainKey("spring");

        Rendering rendering = HelmChart.template(null, Map.of("tls.secretName", "demo-cert", "tls.clientAuth", "need",
                "tls.allowDevelopmentCertificate", true));
        PodSpec pod = rendering.one(Deployment.class).getSpec().getTemplate().getSpec();
        Volume volume = pod.getVolumes().stream().filter((each) -> each.getName().equals("tls")).findFirst().orElseThrow();
        assertThat(volume.getSecret().getSecretName()).isEqualTo("demo-cert");
        VolumeMount mount = container(rendering).getVolumeMounts().stream()
                .filter((each) -> each.getName().equals("tls")).findFirst().orElseThrow();
        assertThat(mount.getMountPath()).isEqualTo("/etc/asyncore-demo/tls");
        assertThat(mount.getReadOnly()).isTrue();
        Map<String, Object> config = applicationYml(rendering).get(0);
        assertThat(at(config, "spring", "ssl", "bundle", "pem", "demo-tls", "keystore", "certificate"))
                .isEqualTo("file:/etc/asyncore-demo/tls/tls.crt");
        assertThat(at(config, "spring", "ssl", "bundle", "pem", "demo-tls", "keystore", "private-key"))
                .isEqualTo("file:/etc/asyncore-demo/tls/tls.key");
        assertThat(at(config, "spring", "ssl", "bundle", "pem", "demo-tls", "truststore", "certificate"))
                .isEqualTo("file:/etc/asyncore-demo/tls/tls.crt");
        assertThat(at(config, "asyncore", "dispatchers", "tlsEchoServer", "ssl", "client-auth")).isEqualTo("need");
    }

    @Test
    void theDevelopmentCertificateSwitchRendersTheServicesOwnSettings() throws IOException {
        Map<String, String> chart = flatten(applicationYml(HelmChart.template(null,
                Map.of("tls.allowDevelopmentCertificate", true))).get(0));
        Map<String, String> service = serviceSettings();
        assertThat(chart).as("what the chart sets, with the service's defaults").allSatisfy(
                (key, value) -> assertThat(service).containsEntry(key, value));
        assertThat(service.keySet()).as("asyncore and demo settings of the service that Helm values cannot set")
                .filteredOn((key) -> key.startsWith("asyncore.") || key.startsWith("demo."))
                .filteredOn((key) -> !key.equals("asyncore.enabled"))
                .allSatisfy((key) -> assertThat(chart).containsKey(key));
    }

    @Test
    void defaultValuesDifferFromTheServicesOwnSettingsOnlyInServingNoTls() throws IOException {
        Map<String, String> chart = flatten(applicationYml(HelmChart.template(null)).get(0));
        Map<String, String> service = serviceSettings();
        Map<String, String> differing = new LinkedHashMap<>();
        chart.forEach((key, value) -> {
            if (!value.equals(service.get(key))) {
                differing.put(key, value);
            }
        });
        assertThat(differing).isEqualTo(Map.of("demo.tls-echo.enabled", "false", "demo.fetch.trust-bundle", ""));
        assertThat(service.keySet()).as("the service's settings the chart leaves out")
                .filteredOn((key) -> key.startsWith("asyncore.") || key.startsWith("demo."))
                .filteredOn((key) -> !key.equals("asyncore.enabled"))
                .filteredOn((key) -> !chart.containsKey(key))
                .isNotEmpty()
                .allMatch((key) -> key.startsWith("asyncore.dispatchers.tlsEchoServer."));
    }

    @Test
    void outputLimitsRenderAsChannelDefaultsAndOnlyWhereADispatcherOverridesThem() {
        Map<String, Object> defaults = applicationYml(HelmChart.template(null)).get(0);
        assertThat(at(defaults, "asyncore", "loop", "max-output-memory")).isEqualTo("64MB");
        assertThat(at(defaults, "asyncore", "channel", "output-hard-limit")).isEqualTo("4MB");
        assertThat(at(defaults, "asyncore", "channel", "output-soft-limit")).isEqualTo("1MB");
        assertThat(at(defaults, "asyncore", "channel", "output-soft-limit-duration")).isEqualTo("10s");

        Map<String, Object> overridden = applicationYml(HelmChart.template(null, Map.of(
                "asyncore.dispatchers.chatServer.outputHardLimit", "256KB",
                "asyncore.dispatchers.tlsEchoServer.outputSoftLimit", "128KB",
                "asyncore.dispatchers.tlsEchoServer.outputSoftLimitDuration", "2s",
                "tls.allowDevelopmentCertificate", true))).get(0);
        assertThat(at(overridden, "asyncore", "dispatchers", "chatServer", "output-hard-limit")).isEqualTo("256KB");
        assertThat(at(overridden, "asyncore", "dispatchers", "tlsEchoServer", "output-soft-limit")).isEqualTo("128KB");
        assertThat(at(overridden, "asyncore", "dispatchers", "tlsEchoServer", "output-soft-limit-duration"))
                .isEqualTo("2s");
        assertThat(settings(overridden, "chatServer"))
                .as("a dispatcher inherits what it does not override").doesNotContainKeys("output-soft-limit",
                        "output-soft-limit-duration");
        assertThat(settings(overridden, "echoServer"))
                .doesNotContainKeys("output-hard-limit", "output-soft-limit", "output-soft-limit-duration");
        assertThat(at(overridden, "asyncore", "channel")).as("the defaults stay").isEqualTo(at(defaults, "asyncore", "channel"));
    }

    @Test
    void fetchDestinationPolicyRendersFromTheValues() {
        Map<String, Object> defaults = applicationYml(HelmChart.template(null)).get(0);
        assertThat(at(defaults, "demo", "fetch", "allowed-networks")).as("nothing special-purpose is allowed").isEqualTo(List.of());
        assertThat(at(defaults, "demo", "fetch", "allowed-ports")).isEqualTo(List.of(80, 443));
        assertThat(at(defaults, "demo", "fetch", "max-concurrent")).isEqualTo(16);

        Map<String, Object> set = applicationYml(HelmChart.template(null, Map.of("fetch.allowedNetworks[0]", "10.20.0.0/16",
                "fetch.allowedNetworks[1]", "fd00:20::/64", "fetch.allowedPorts[0]", 8000, "fetch.maxConcurrent", 2))).get(0);
        assertThat(at(set, "demo", "fetch", "allowed-networks")).isEqualTo(List.of("10.20.0.0/16", "fd00:20::/64"));
        assertThat(at(set, "demo", "fetch", "allowed-ports")).isEqualTo(List.of(8000));
        assertThat(at(set, "demo", "fetch", "max-concurrent")).isEqualTo(2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void customValuesReachTheApplicationYml() throws IOException {
        List<Map<String, Object>> config = applicationYml(HelmChart.template(CUSTOM));
        Map<String, Object> values = new Yaml().load(Files.readString(CUSTOM));
        Map<String, Object> rendered = config.get(0);
        // A few spelled out, then every setting of the values file.
        assertThat(at(rendered, "asyncore", "channel", "idle-timeout")).isEqualTo("90s");
        assertThat(at(rendered, "asyncore", "dispatchers", "chatServer", "idle-timeout")).isEqualTo("15m");
        assertThat(at(rendered, "asyncore", "dispatchers", "echoServer", "address")).isEqualTo("17007");
        assertThat(at(rendered, "management", "server", "port")).isEqualTo(18081);
        Map<String, Object> asyncore = (Map<String, Object>) values.get("asyncore");
        assertThat(flatten((Map<String, Object>) rendered.get("asyncore")))
                .containsAllEntriesOf(kebabCase(flatten(Map.of("loop", asyncore.get("loop"), "shutdown",
                        asyncore.get("shutdown"), "events", asyncore.get("events"), "channel", asyncore.get("channel"),
                        "dispatchers", asyncore.get("dispatchers")))));
        assertThat(flatten((Map<String, Object>) at(rendered, "demo", "fetch")))
                .isEqualTo(kebabCase(flatten((Map<String, Object>) values.get("fetch"))));
        Map<String, Object> chat = new LinkedHashMap<>((Map<String, Object>) values.get("chat"));
        Map<String, Object> redis = (Map<String, Object>) chat.remove("redis");
        Map<String, String> expectedChat = kebabCase(flatten(chat));
        expectedChat.put("redis-channel", (String) redis.get("channel"));
        assertThat(flatten((Map<String, Object>) at(rendered, "demo", "chat"))).isEqualTo(expectedChat);
        assertThat(redis).as("every chat.redis key of values.yaml").containsOnlyKeys(
                ((Map<String, Object>) valuesOf(HelmChart.DIRECTORY.resolve("values.yaml"), "chat").get("redis")).keySet());
        assertThat(redis.get("url")).isEqualTo("rediss://redis.example.internal:6380/2");
        assertThat(flatten((Map<String, Object>) at(rendered, "spring", "data", "redis"))).as("chat.redis.url, taken apart")
                .isEqualTo(Map.of("host", "redis.example.internal", "port", "6380", "database", "2", "ssl.enabled", "true"));
        assertThat(secretVariable(container(HelmChart.template(CUSTOM)), "SPRING_DATA_REDIS_PASSWORD"))
                .isEqualTo(List.of("asyncore-demo-redis", "redis-password", false));
        assertThat(flatten((Map<String, Object>) at(rendered, "demo", "udp")))
                .isEqualTo(kebabCase(flatten((Map<String, Object>) values.get("udp"))));
        assertThat(config).hasSize(2); // extraConfig comes as a later document, which wins
        assertThat(at(config.get(1), "logging", "level")).isEqualTo(Map.of("io.github.asyncore", "DEBUG"));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void podsRunAsNonRootOnAReadOnlyRootFilesystemWithConfigAndTmpMounted(Path values) {
        Rendering rendering = HelmChart.template(values);
        PodSpec pod = demo(rendering).getSpec().getTemplate().getSpec();
        PodSecurityContext podSecurity = pod.getSecurityContext();
        assertThat(podSecurity.getRunAsNonRoot()).isTrue();
        assertThat(podSecurity.getRunAsUser()).isPositive();
        assertThat(podSecurity.getFsGroup()).isNotNull();
        assertThat(podSecurity.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        Container container = container(rendering);
        assertLockedDown(container.getSecurityContext());
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getServiceAccountName())
                .isEqualTo(rendering.one(ServiceAccount.class).getMetadata().getName());

        Map<String, Volume> volumes = pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, Function.identity()));
        Map<String, VolumeMount> mounts = container.getVolumeMounts().stream()
                .collect(Collectors.toMap(VolumeMount::getMountPath, Function.identity()));
        assertThat(volumes.get(mounts.get("/tmp").getName()).getEmptyDir()).isNotNull();
        VolumeMount config = mounts.get("/config");
        assertThat(config.getReadOnly()).isTrue();
        ConfigMap configMap = rendering.one(ConfigMap.class);
        assertThat(volumes.get(config.getName()).getConfigMap().getName()).isEqualTo(configMap.getMetadata().getName());
        assertThat(env(container)).containsEntry("SPRING_CONFIG_ADDITIONAL_LOCATION", "file:/config/application.yml");
        assertThat(configMap.getData()).containsKey("application.yml");
        assertThat(env(container).get("JAVA_TOOL_OPTIONS")).as("sized by the chart (HelmChartMemoryTests)")
                .contains("-Xmx", "-XX:MaxDirectMemorySize=").doesNotContain("RAMPercentage");

        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");

        assertThat(rendering.hooks()).isNotEmpty().allSatisfy((hook) -> {
            Pod test = (Pod) hook;
            assertThat(test.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(test.getSpec().getAutomountServiceAccountToken()).isFalse();
            assertLockedDown(test.getSpec().getContainers().get(0).getSecurityContext());
        });
    }

    @Test
    void autoscalerAndDisruptionBudgetOnlyWhenEnabled() {
        Rendering defaults = HelmChart.template(null);
        assertThat(defaults.all(HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(defaults.all(PodDisruptionBudget.class)).isEmpty();
        assertThat(defaults.one(Deployment.class).getSpec().getReplicas()).isEqualTo(1);

        Rendering custom = HelmChart.template(CUSTOM);
        Deployment deployment = custom.one(Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).as("the autoscaler owns the replica count").isNull();
        HorizontalPodAutoscaler autoscaler = custom.one(HorizontalPodAutoscaler.class);
        assertThat(autoscaler.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        assertThat(autoscaler.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(autoscaler.getSpec().getMaxReplicas()).isEqualTo(6);
        PodDisruptionBudget budget = custom.one(PodDisruptionBudget.class);
        assertThat(budget.getSpec().getMaxUnavailable().getStrVal()).isEqualTo("50%");
        assertThat(podLabels(custom)).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());

        Rendering budgetOnly = HelmChart.template(null, Map.of("podDisruptionBudget.enabled", true));
        assertThat(budgetOnly.all(HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(budgetOnly.one(PodDisruptionBudget.class).getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void helmTestHookSendsALineToTheEchoServiceAndAsksForReadinessWhereNoPolicyFencesIt(Path values) {
        Rendering rendering = HelmChart.template(values);
        assertThat(rendering.all(Pod.class)).as("the test pod is a hook, never installed with the release").isEmpty();
        Pod test = testPod(rendering, "test-echo");
        assertThat(test.getMetadata().getAnnotations()).containsEntry("helm.sh/hook", "test");
        assertThat(test.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(test.getSpec().getActiveDeadlineSeconds()).isPositive();

        Service protocols = rendering.named(Service.class, "demo-asyncore-demo");
        Service management = rendering.named(Service.class, "demo-asyncore-demo-management");
        Map<String, String> env = env(test.getSpec().getContainers().get(0));
        assertThat(env).containsEntry("ECHO_HOST", protocols.getMetadata().getName());
        assertThat(env).containsEntry("ECHO_PORT", String.valueOf(servicePort(protocols, "echo")));
        if (rendering.all(NetworkPolicy.class).isEmpty()) {
            assertThat(env).containsEntry("READINESS_URL", "http://" + management.getMetadata().getName() + ":"
                    + servicePort(management, "management")
                    + container(rendering).getReadinessProbe().getHttpGet().getPath());
        }
        else {
            assertThat(env).as("the management port admits no test pod").doesNotContainKey("READINESS_URL");
        }
        assertThat(String.join("\n", test.getSpec().getContainers().get(0).getCommand()))
                .contains("nc -w 5 \"$ECHO_HOST\" \"$ECHO_PORT\"", "wget -q -T 5 -O /dev/null \"$READINESS_URL\"",
                        "if [ -z \"$READINESS_URL\" ]");
        assertThat(HelmChart.notes(values)).contains("run the chart's test (echo round trip"
                + (rendering.all(NetworkPolicy.class).isEmpty() ? " and readiness" : "")
                + ((rendering.hooks().size() > 1) ? "; a chat line crossing two pods" : "") + "):");
    }

    @ParameterizedTest
    @MethodSource("variants")
    void networkPoliciesSelectTheDemosPodsAndNeverTheTestPod(Path values) throws IOException {
        Rendering rendering = HelmChart.template(values);
        List<NetworkPolicy> policies = rendering.all(NetworkPolicy.class);
        Map<String, Object> networkPolicy = valuesOf(values, "networkPolicy");
        if (Boolean.FALSE.equals(networkPolicy.get("enabled"))) {
            assertThat(policies).isEmpty();
            return;
        }
        assertThat(policies).extracting((policy) -> policy.getMetadata().getName()).contains("demo-asyncore-demo",
                "demo-asyncore-demo-management");
        Map<String, String> test = testPod(rendering, "test-echo").getMetadata().getLabels();
        Container container = container(rendering);
        for (NetworkPolicy policy : policies) {
            Map<String, String> selector = policy.getSpec().getPodSelector().getMatchLabels();
            assertThat(policy.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
            if (policy.getMetadata().getName().equals(REDIS_NAME)) {
                assertThat(podLabels(rendering).entrySet().containsAll(selector.entrySet()))
                        .as("the Redis's policy selects the demo's pods").isFalse();
                assertThat(redisPodLabels(rendering)).containsAllEntriesOf(selector);
                continue;
            }
            assertThat(podLabels(rendering)).containsAllEntriesOf(selector);
            assertThat(test.entrySet().containsAll(selector.entrySet())).as("%s selects the helm test pod",
                    policy.getMetadata().getName()).isFalse();
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                for (NetworkPolicyPort port : rule.getPorts()) {
                    assertThat(containerPort(container, port.getPort().getStrVal()).getProtocol())
                            .as("%s names a port of the container", policy.getMetadata().getName())
                            .isEqualTo(port.getProtocol());
                }
            }
        }
    }

    @Test
    void byDefaultTheProtocolPortsAdmitEveryoneAndTheManagementPortNobody() {
        Rendering rendering = HelmChart.template(null);
        assertThat(rendering.all(NetworkPolicy.class)).hasSize(2)
                .allSatisfy((policy) -> assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress"));

        NetworkPolicy services = rendering.named(NetworkPolicy.class, "demo-asyncore-demo");
        assertThat(services.getSpec().getIngress()).singleElement().satisfies((rule) -> {
            assertThat(rule.getPorts()).extracting((port) -> port.getPort().getStrVal(), NetworkPolicyPort::getProtocol)
                    .containsExactly(tuple("echo", "TCP"), tuple("chat", "TCP"), tuple("udp-echo", "UDP"),
                            tuple("http", "TCP"));
            assertThat(rule.getFrom()).as("no peers: everyone").isNullOrEmpty();
        });

        NetworkPolicy management = rendering.named(NetworkPolicy.class, "demo-asyncore-demo-management");
        assertThat(management.getSpec().getIngress()).as("no rule: nobody but the kubelet's probes").isEmpty();
        assertThat(rendering.all(NetworkPolicy.class)).flatExtracting(HelmChartTests::ingressPorts)
                .as("no policy admits anyone to the management port").doesNotContain("management");
        assertThat(at(applicationYml(rendering).get(0), "management", "server"))
                .as("management.server.address unset: every interface of the pod, for the probes")
                .isEqualTo(Map.of("port", 8081));
    }

    @Test
    void theManagementPortAdmitsThePrometheusAndTheNetworksTheValuesName() {
        NetworkPolicy custom = HelmChart.template(CUSTOM).named(NetworkPolicy.class, "demo-asyncore-demo-management");
        assertThat(custom.getSpec().getIngress()).singleElement().satisfies((rule) -> {
            assertThat(rule.getPorts()).extracting((port) -> port.getPort().getStrVal(), NetworkPolicyPort::getProtocol)
                    .containsExactly(tuple("management", "TCP"));
            assertThat(rule.getFrom()).hasSize(2);
            NetworkPolicyPeer prometheus = rule.getFrom().get(0);
            assertThat(prometheus.getNamespaceSelector().getMatchLabels())
                    .isEqualTo(Map.of("kubernetes.io/metadata.name", "monitoring"));
            assertThat(prometheus.getPodSelector().getMatchLabels())
                    .as("in the same peer: those pods in those namespaces, not either")
                    .isEqualTo(Map.of("app.kubernetes.io/name", "prometheus"));
            assertThat(rule.getFrom().get(1).getIpBlock().getCidr()).isEqualTo("198.51.100.0/24");
        });

        NetworkPolicyPeer podsOnly = onlyManagementPeer(Map.of(
                "networkPolicy.management.prometheus.podLabels.app", "prom"));
        assertThat(podsOnly.getPodSelector().getMatchLabels()).isEqualTo(Map.of("app", "prom"));
        assertThat(podsOnly.getNamespaceSelector()).as("the release's namespace only").isNull();
        NetworkPolicyPeer namespaceOnly = onlyManagementPeer(Map.of(
                "networkPolicy.management.prometheus.namespaceLabels.team", "observability"));
        assertThat(namespaceOnly.getNamespaceSelector().getMatchLabels()).isEqualTo(Map.of("team", "observability"));
        assertThat(namespaceOnly.getPodSelector()).isNull();
        NetworkPolicyPeer nodes = onlyManagementPeer(Map.of("networkPolicy.management.fromCidrs[0]", "fd00:10::/64"));
        assertThat(nodes.getIpBlock().getCidr()).isEqualTo("fd00:10::/64");
    }

    @Test
    void theProtocolPortsAdmitOnlyThePeersOfServicesFromWhenSet() throws IOException {
        NetworkPolicy services = HelmChart.template(CUSTOM).named(NetworkPolicy.class, "demo-asyncore-demo");
        List<Map<String, Object>> from = listAt(valuesOf(CUSTOM, "networkPolicy"), "services", "from");
        assertThat(services.getSpec().getIngress()).singleElement().satisfies((rule) -> {
            assertThat(rule.getPorts()).extracting((port) -> port.getPort().getStrVal())
                    .containsExactly("echo", "chat", "udp-echo", "tls-echo", "http");
            assertThat(rule.getFrom()).hasSameSizeAs(from);
            assertThat(rule.getFrom().get(0).getNamespaceSelector().getMatchLabels())
                    .isEqualTo(Map.of("kubernetes.io/metadata.name", "clients"));
            assertThat(rule.getFrom().get(1).getIpBlock().getExcept()).containsExactly("203.0.113.128/25");
        });
    }

    @Test
    void egressIsOpenUnlessTheValuesGiveRules() throws IOException {
        assertThat(HelmChart.template(null).all(NetworkPolicy.class)).flatExtracting((policy) -> policy.getSpec()
                .getPolicyTypes()).doesNotContain("Egress");

        NetworkPolicy egress = HelmChart.template(CUSTOM).named(NetworkPolicy.class, "demo-asyncore-demo-egress");
        assertThat(egress.getSpec().getPolicyTypes()).containsExactly("Egress");
        assertThat(egress.getSpec().getIngress()).isNullOrEmpty();
        List<Map<String, Object>> rules = listAt(valuesOf(CUSTOM, "networkPolicy"), "egress");
        assertThat(egress.getSpec().getEgress()).hasSameSizeAs(rules);
        assertThat(egress.getSpec().getEgress().get(0).getPorts()).extracting((port) -> port.getPort().getIntVal(),
                NetworkPolicyPort::getProtocol).containsExactly(tuple(53, "UDP"), tuple(53, "TCP"));
        assertThat(egress.getSpec().getEgress().get(1).getTo()).extracting((peer) -> peer.getIpBlock().getCidr())
                .containsExactly("192.0.2.0/24", "2001:db8::/32");
        assertThat(egress.getSpec().getEgress().get(1).getPorts().get(1).getEndPort()).isEqualTo(8100);

        assertThat(HelmChart.template(CUSTOM, Map.of("networkPolicy.enabled", false)).all(NetworkPolicy.class))
                .as("networkPolicy.enabled=false: none at all").isEmpty();
    }

    @Test
    void theManagementAddressIsRenderedWhenSetAndNeverLoopback() {
        assertThat(at(applicationYml(HelmChart.template(CUSTOM)).get(0), "management", "server", "address"))
                .isEqualTo("0.0.0.0");
        assertThat(at(applicationYml(HelmChart.template(null, Map.of("management.address", "::"))).get(0), "management",
                "server", "address")).isEqualTo("::");
        for (String loopback : List.of("127.0.0.1", "::1")) {
            assertThatIllegalStateException()
                    .isThrownBy(() -> HelmChart.template(null, Map.of("management.address", loopback)))
                    .withMessageContaining("management.address " + loopback + " is a loopback address");
        }
    }

    @Test
    void changedConfigurationRollsThePods() {
        String defaults = configChecksum(HelmChart.template(null));
        assertThat(configChecksum(HelmChart.template(null))).isEqualTo(defaults);
        assertThat(configChecksum(HelmChart.template(null, Map.of("asyncore.channel.idleTimeout", "11m"))))
                .isNotEqualTo(defaults);
    }

    @Test
    void notesTellHowToReachEveryPort() {
        assertThat(HelmChart.notes(CUSTOM)).contains(
                "kubectl --namespace apps port-forward service/demo-asyncore-demo 17007 17008 17443 18080",
                "openssl s_client -connect 127.0.0.1:17443",
                "nc 127.0.0.1 17007", "nc 127.0.0.1 17008", "http://127.0.0.1:18080/fetch?url=",
                "nc -u -w 2 demo-asyncore-demo 17009",
                "kubectl --namespace apps port-forward service/demo-asyncore-demo-management 18081",
                "http://127.0.0.1:18081/actuator/health/readiness",
                "Chat: one room across the pods, through Redis pub/sub (rediss://redis.example.internal:6380/2, "
                        + "password from the Secret asyncore-demo-redis)");
        assertThat(HelmChart.notes(null, Map.of("replicaCount", 2))).contains("each pod runs its own chat room");
        assertThat(HelmChart.notes(null)).doesNotContain("chat room", "Redis");
    }

    private static void assertLockedDown(SecurityContext security) {
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    }

    /** @return the demo's Deployment (a release may have another: the chart's Redis) */
    static Deployment demo(Rendering rendering) {
        return rendering.named(Deployment.class, "demo-asyncore-demo");
    }

    /** @return the {@code helm test} pod of that name ("test-echo", ...) */
    static Pod testPod(Rendering rendering, String name) {
        return rendering.hooks().stream()
                .filter((hook) -> hook.getMetadata().getName().equals("demo-asyncore-demo-" + name))
                .map(Pod.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no helm test pod " + name));
    }

    static Container container(Rendering rendering) {
        List<Container> containers = demo(rendering).getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static final String REDIS_NAME = "demo-asyncore-demo-redis";

    /** @return the Services in front of the demo's pods (not the chart's Redis) */
    private static List<Service> demoServices(Rendering rendering) {
        return rendering.all(Service.class).stream()
                .filter((service) -> !service.getMetadata().getName().equals(REDIS_NAME))
                .toList();
    }

    private static Map<String, String> redisPodLabels(Rendering rendering) {
        return rendering.named(Deployment.class, REDIS_NAME).getSpec().getTemplate().getMetadata().getLabels();
    }

    /** @return [Secret name, key, optional] of the variable, which must come from a Secret */
    static List<Object> secretVariable(Container container, String name) {
        EnvVar variable = container.getEnv().stream()
                .filter((each) -> each.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no variable " + name));
        assertThat(variable.getValue()).as("never a literal").isNull();
        SecretKeySelector secret = variable.getValueFrom().getSecretKeyRef();
        return List.of(secret.getName(), secret.getKey(), secret.getOptional());
    }

    private static ContainerPort containerPort(Container container, String name) {
        return container.getPorts().stream()
                .filter((port) -> name.equals(port.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name));
    }

    private static int servicePort(Service service, String name) {
        return service.getSpec().getPorts().stream()
                .filter((port) -> name.equals(port.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no port named " + name + " in " + service.getMetadata().getName()))
                .getPort();
    }

    /** @return the names (or numbers) of the ports the policy's ingress rules admit to */
    static List<String> ingressPorts(NetworkPolicy policy) {
        List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
        return (rules == null) ? List.of() : rules.stream()
                .flatMap((rule) -> rule.getPorts().stream())
                .map((port) -> (port.getPort().getStrVal() != null) ? port.getPort().getStrVal()
                        : String.valueOf(port.getPort().getIntVal()))
                .toList();
    }

    private static NetworkPolicyPeer onlyManagementPeer(Map<String, Object> sets) {
        NetworkPolicy management = HelmChart.template(null, sets)
                .named(NetworkPolicy.class, "demo-asyncore-demo-management");
        assertThat(management.getSpec().getIngress()).hasSize(1);
        assertThat(management.getSpec().getIngress().get(0).getFrom()).hasSize(1);
        return management.getSpec().getIngress().get(0).getFrom().get(0);
    }

    /** @return whether the values file asks for TLS: a Secret, or the development certificate on purpose */
    private static boolean servesTls(Path values) throws IOException {
        Map<String, Object> tls = valuesOf(values, "tls");
        return (tls.get("secretName") instanceof String secret && !secret.isEmpty())
                || Boolean.TRUE.equals(tls.get("allowDevelopmentCertificate"));
    }

    /** @return one top-level group of a values file, empty when the file leaves it to the defaults */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> valuesOf(Path values, String group) throws IOException {
        Map<String, Object> all = new Yaml().load(Files.readString(values));
        return (all == null) ? Map.of() : (Map<String, Object>) all.getOrDefault(group, Map.of());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> listAt(Map<String, Object> map, String... keys) {
        return (List<Map<String, Object>>) at(map, keys);
    }

    /** @return the demo's own application.yml (the jar's), flattened */
    private static Map<String, String> serviceSettings() throws IOException {
        return flatten(new Yaml().load(Files.readString(
                Path.of(System.getProperty("basedir", "."), "src", "main", "resources", "application.yml"))));
    }

    private static Map<String, String> podLabels(Rendering rendering) {
        return podLabelsOf(demo(rendering));
    }

    static Map<String, String> podLabelsOf(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getLabels();
    }

    /** @return the container's variables by name; those from a Secret (valueFrom) map to {@code null} */
    static Map<String, String> env(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        container.getEnv().forEach((variable) -> env.put(variable.getName(), variable.getValue()));
        return env;
    }

    private static String configChecksum(Rendering rendering) {
        return demo(rendering).getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config");
    }

    /** @return the documents of the ConfigMap's application.yml, parsed by SnakeYAML as Spring Boot does */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> applicationYml(Rendering rendering) {
        String text = rendering.one(ConfigMap.class).getData().get("application.yml");
        List<Map<String, Object>> documents = new ArrayList<>();
        new Yaml().loadAll(text).forEach((document) -> documents.add((Map<String, Object>) document));
        return documents;
    }

    /** @return what the application.yml sets for one dispatcher */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> settings(Map<String, Object> config, String dispatcher) {
        return (Map<String, Object>) at(config, "asyncore", "dispatchers", dispatcher);
    }

    /** @return the value at the path of keys, or {@code null} */
    static Object at(Map<String, Object> map, String... keys) {
        Object value = map;
        for (String key : keys) {
            value = (value instanceof Map<?, ?> nested) ? nested.get(key) : null;
        }
        return value;
    }

    /** @return "a.b.c" → value as a string, for every leaf */
    @SuppressWarnings("unchecked")
    private static Map<String, String> flatten(Map<String, Object> map) {
        Map<String, String> flat = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                flatten((Map<String, Object>) nested).forEach((subKey, leaf) -> flat.put(key + "." + subKey, leaf));
            }
            else {
                flat.put(key, String.valueOf(value));
            }
        });
        return flat;
    }

    /** idleTimeout → idle-timeout in the last segment, the setting; the others are groups and bean names. */
    private static Map<String, String> kebabCase(Map<String, String> flat) {
        Map<String, String> kebab = new HashMap<>();
        flat.forEach((key, value) -> {
            String[] segments = key.split("\\.");
            String last = segments[segments.length - 1].replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
            segments[segments.length - 1] = last;
            kebab.put(String.join(".", segments), value);
        });
        return kebab;
    }

}
