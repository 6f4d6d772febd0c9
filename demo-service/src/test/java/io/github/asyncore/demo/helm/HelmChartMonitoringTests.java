package io.github.asyncore.demo.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.github.asyncore.demo.helm.HelmChart.Rendering;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The chart's optional monitoring objects: the Grafana dashboard ConfigMap (dashboards.grafana) and the
 * Prometheus Operator ServiceMonitor (serviceMonitor), both off by default. That the dashboard's queries
 * name metrics the demo exports is {@link DashboardMetricsTests}' business.
 */
class HelmChartMonitoringTests {

    private static final String DASHBOARD = "demo-asyncore-demo-dashboard";

    /** A Prometheus admitted to the management port, which the chart wants with a ServiceMonitor. */
    private static final Map<String, Object> PROMETHEUS_ADMITTED = Map
        .of("networkPolicy.management.prometheus.namespaceLabels.kubernetes\\.io/metadata\\.name", "monitoring");

    @Test
    void defaultsRenderNeitherTheDashboardNorAServiceMonitor() {
        Rendering rendering = HelmChart.template(null);
        assertThat(rendering.objects()).extracting(HasMetadata::getKind).doesNotContain("ServiceMonitor");
        assertThat(rendering.all(GenericKubernetesResource.class)).isEmpty();
        assertThat(rendering.all(ConfigMap.class)).extracting((configMap) -> configMap.getMetadata().getName())
            .containsExactly("demo-asyncore-demo");
        assertThat(HelmChart.notes(null)).doesNotContain("Monitoring:");
    }

    @Test
    void theDashboardConfigMapCarriesTheChartsJsonWithTheSidecarsLabel() throws IOException {
        Rendering rendering = HelmChart.template(null, Map.of("dashboards.grafana.enabled", true,
                "dashboards.grafana.annotations.grafana_folder", "asyncore"));
        ConfigMap dashboard = rendering.named(ConfigMap.class, DASHBOARD);
        assertThat(UnknownFields.in(dashboard)).isEmpty();
        assertThat(dashboard.getMetadata().getNamespace()).as("the release's namespace, as every object").isNull();
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1")
            .containsEntry("app.kubernetes.io/instance", "demo")
            .containsEntry("app.kubernetes.io/name", "asyncore-demo");
        assertThat(dashboard.getMetadata().getAnnotations()).isEqualTo(Map.of("grafana_folder", "asyncore"));
        assertThat(dashboard.getData()).containsOnlyKeys("asyncore.json");
        String json = dashboard.getData().get("asyncore.json");
        assertThat(json.strip()).isEqualTo(Files.readString(Dashboard.FILE).strip());
        assertThat(HelmChart.notes(null, Map.of("dashboards.grafana.enabled", true)))
            .contains("Grafana dashboard \"asyncore\" in ConfigMap " + DASHBOARD);
    }

    @Test
    void theDashboardsLabelsAreTheValues() {
        ConfigMap dashboard = HelmChart
            .template(null, Map.of("dashboards.grafana.enabled", true, "dashboards.grafana.labels.grafana_dashboard",
                    "asyncore", "dashboards.grafana.labels.team", "platform"))
            .named(ConfigMap.class, DASHBOARD);
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "asyncore")
            .containsEntry("team", "platform");
        assertThat(dashboard.getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void theDashboardIsValidJsonWithAPrometheusDataSourceVariableAndNonEmptyQueries() {
        ConfigMap configMap = HelmChart.template(null, Map.of("dashboards.grafana.enabled", true))
            .named(ConfigMap.class, DASHBOARD);
        JsonNode dashboard = Dashboard.parse(configMap.getData().get("asyncore.json"));
        assertThat(dashboard.path("uid").asString()).isEqualTo("asyncore");
        assertThat(dashboard.path("title").asString()).isNotBlank();
        Map<String, JsonNode> variables = new LinkedHashMap<>();
        dashboard.path("templating").path("list").forEach((variable) -> variables.put(variable.path("name").asString(),
                variable));
        assertThat(variables).containsKeys("datasource", "namespace", "pod");
        assertThat(variables.get("datasource").path("type").asString()).isEqualTo("datasource");
        assertThat(variables.get("datasource").path("query").asString()).isEqualTo("prometheus");
        for (String name : List.of("namespace", "pod")) {
            JsonNode variable = variables.get(name);
            assertThat(variable.path("type").asString()).isEqualTo("query");
            assertThat(variable.path("datasource").path("uid").asString()).isEqualTo("${datasource}");
            assertThat(variable.path("query").path("query").asString()).startsWith("label_values(")
                .endsWith(", " + name + ")");
        }
        List<JsonNode> queryPanels = Dashboard.panels(dashboard)
            .stream()
            .filter((panel) -> !"row".equals(panel.path("type").asString()))
            .toList();
        assertThat(queryPanels).hasSizeGreaterThanOrEqualTo(15);
        for (JsonNode panel : queryPanels) {
            String title = panel.path("title").asString();
            assertThat(panel.path("datasource").path("uid").asString()).as(title).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asString("");
                assertThat(expr).as(title).isNotBlank();
                assertThat(Dashboard.metricNames(expr)).as("metrics of %s", expr).isNotEmpty();
                assertThat(expr).as("%s filters by the namespace and pod variables", title)
                    .contains("namespace=~\"$namespace\", pod=~\"$pod\"");
            }
        }
        assertThat(Dashboard.panels(dashboard)).extracting((panel) -> panel.path("id").asInt())
            .as("panel ids are unique")
            .doesNotHaveDuplicates();
    }

    @Test
    void theServiceMonitorScrapesActuatorPrometheusOnTheManagementServiceOnly() {
        Map<String, Object> sets = new LinkedHashMap<>(PROMETHEUS_ADMITTED);
        sets.put("serviceMonitor.enabled", true);
        sets.put("serviceMonitor.interval", "15s");
        sets.put("serviceMonitor.scrapeTimeout", "5s");
        sets.put("serviceMonitor.labels.release", "kube-prometheus-stack");
        Rendering rendering = HelmChart.template(null, sets);
        GenericKubernetesResource monitor = rendering.one(GenericKubernetesResource.class);
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
        assertThat(monitor.getMetadata().getName()).isEqualTo("demo-asyncore-demo");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack")
            .containsEntry("app.kubernetes.io/instance", "demo");
        Map<String, Object> spec = map(monitor.getAdditionalProperties().get("spec"));
        assertThat(spec).containsOnlyKeys("selector", "namespaceSelector", "endpoints");
        assertThat(map(spec.get("namespaceSelector"))).isEqualTo(Map.of("matchNames", List.of("apps")));

        Map<String, Object> selector = map(spec.get("selector"));
        assertThat(selector).containsOnlyKeys("matchLabels");
        Map<String, Object> matchLabels = map(selector.get("matchLabels"));
        Service management = rendering.named(Service.class, "demo-asyncore-demo-management");
        Service protocols = rendering.named(Service.class, "demo-asyncore-demo");
        assertThat(management.getMetadata().getLabels()).containsAllEntriesOf(strings(matchLabels));
        assertThat(protocols.getMetadata().getLabels().entrySet().containsAll(strings(matchLabels).entrySet()))
            .as("the protocol Service is not selected").isFalse();

        List<Object> endpoints = list(spec.get("endpoints"));
        assertThat(endpoints).hasSize(1);
        Map<String, Object> endpoint = map(endpoints.get(0));
        assertThat(endpoint).isEqualTo(Map.of("port", "management", "path", "/actuator/prometheus", "scheme", "http",
                "interval", "15s", "scrapeTimeout", "5s"));
        assertThat(management.getSpec().getPorts()).extracting("name").containsExactly("management");

        NetworkPolicy fence = rendering.named(NetworkPolicy.class, "demo-asyncore-demo-management");
        assertThat(fence.getSpec().getIngress()).singleElement().satisfies((rule) -> {
            assertThat(rule.getPorts()).extracting((port) -> port.getPort().getStrVal()).containsExactly("management");
            assertThat(rule.getFrom()).singleElement()
                .satisfies((peer) -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                    .isEqualTo(Map.of("kubernetes.io/metadata.name", "monitoring")));
        });
        assertThat(HelmChart.notes(null, sets)).contains("ServiceMonitor demo-asyncore-demo: Prometheus scrapes "
                + "/actuator/prometheus on demo-asyncore-demo-management every 15s");
    }

    @Test
    void theServiceMonitorDefaultsToA30SecondInterval() {
        Map<String, Object> sets = new LinkedHashMap<>(PROMETHEUS_ADMITTED);
        sets.put("serviceMonitor.enabled", true);
        Map<String, Object> endpoint = map(list(map(HelmChart.template(null, sets)
            .one(GenericKubernetesResource.class)
            .getAdditionalProperties()
            .get("spec")).get("endpoints")).get(0));
        assertThat(endpoint).containsEntry("interval", "30s").containsEntry("scrapeTimeout", "10s");
    }

    @Test
    void aServiceMonitorThatTheManagementPolicyWouldShutOutIsRefused() {
        assertThatIllegalStateException()
            .isThrownBy(() -> HelmChart.template(null, Map.of("serviceMonitor.enabled", true)))
            .withMessageContaining("the management NetworkPolicy admits no scraper")
            .withMessageContaining("networkPolicy.management.prometheus");
        assertThat(HelmChart.template(null, Map.of("serviceMonitor.enabled", true, "networkPolicy.enabled", false))
            .all(GenericKubernetesResource.class)).as("no policy: nothing to shut Prometheus out").hasSize(1);
        assertThat(HelmChart
            .template(null, Map.of("serviceMonitor.enabled", true, "networkPolicy.management.prometheus.podLabels.app",
                    "prometheus"))
            .all(GenericKubernetesResource.class)).hasSize(1);
        assertThat(HelmChart
            .template(null, Map.of("serviceMonitor.enabled", true, "networkPolicy.management.fromCidrs[0]", "10.0.0.0/8"))
            .all(GenericKubernetesResource.class)).hasSize(1);
    }

    @ParameterizedTest(name = "--set {0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            serviceMonitor.enabled                    | yes   | at '/serviceMonitor/enabled': got string, want boolean
            serviceMonitor.interval                   | 30    | at '/serviceMonitor/interval': got number, want string
            serviceMonitor.interval                   | 30sec | at '/serviceMonitor/interval'
            serviceMonitor.interval                   | 30S   | at '/serviceMonitor/interval'
            serviceMonitor.scrapeTimeout              | 0s    | at '/serviceMonitor/scrapeTimeout'
            serviceMonitor.scrapeTimeout              | ''    | at '/serviceMonitor/scrapeTimeout'
            serviceMonitor.labels.release             | 1     | at '/serviceMonitor/labels/release': got number, want string
            serviceMonitor.labels                     | x     | at '/serviceMonitor/labels': got string, want object
            serviceMonitor.intervall                  | 30s   | additional properties 'intervall' not allowed
            serviceMonitor.path                       | /metrics | additional properties 'path' not allowed
            dashboards.grafana.enabled                | 1     | at '/dashboards/grafana/enabled': got number, want boolean
            dashboards.grafana.labels.grafana_dashboard | 1   | at '/dashboards/grafana/labels/grafana_dashboard': got number, want string
            dashboards.grafana.annotations.folder     | true  | at '/dashboards/grafana/annotations/folder': got boolean, want string
            dashboards.grafana.namespace              | grafana | additional properties 'namespace' not allowed
            dashboards.grafna.enabled                 | true  | additional properties 'grafna' not allowed
            dashboards.grafana                        | true  | at '/dashboards/grafana': got boolean, want object
            """)
    void theSchemaRejectsABadMonitoringValue(String key, String value, String message) {
        assertThatIllegalStateException().isThrownBy(() -> HelmChart.template(null, Map.of(key, value)))
            .withMessageContaining("values don't meet the specifications of the schema")
            .withMessageContaining(message);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    private static Map<String, String> strings(Map<String, Object> map) {
        Map<String, String> strings = new LinkedHashMap<>();
        map.forEach((key, value) -> strings.put(key, String.valueOf(value)));
        return strings;
    }

}
