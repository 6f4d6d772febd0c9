package io.github.asyncore.demo.helm;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.github.asyncore.demo.helm.HelmChart.Rendering;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The JVM's memory as the chart sizes it: JAVA_TOOL_OPTIONS caps every area, the areas and the native
 * headroom fit the container's memory limit, and values that would not fit fail to render with a message
 * that says why.
 * <p>
 * The headroom rule is written out here a second time on purpose (the larger of 32 MiB and a tenth of
 * the limit, rounded up), so that a template that loses it, or sums wrongly, fails these tests.
 */
class HelmChartMemoryTests {

    private static final long MIB = 1024 * 1024;

    private static final String OVER_THE_LIMIT = "JVM memory does not fit resources.limits.memory";

    private static final String NO_DIRECT_MEMORY_LEFT = "leaves less than 16 MiB of jvm.directMemoryMiB";

    static List<Path> variants() {
        return HelmChart.ciValuesFiles();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void javaToolOptionsSizeEveryMemoryAreaFromTheValues(Path valuesFile) throws IOException {
        Map<String, Object> jvm = jvmValues(valuesFile);
        Flags flags = Flags.of(javaToolOptions(HelmChart.template(valuesFile)));
        assertThat(flags.mib("-Xmx")).isEqualTo(number(jvm, "heapMiB"));
        long initialHeap = number(jvm, "initialHeapMiB");
        assertThat(flags.mib("-Xms")).isEqualTo((initialHeap != 0) ? initialHeap : number(jvm, "heapMiB"));
        assertThat(flags.mib("-XX:MaxDirectMemorySize=")).isEqualTo(number(jvm, "directMemoryMiB"));
        assertThat(flags.mib("-XX:MaxMetaspaceSize=")).isEqualTo(number(jvm, "metaspaceMiB"));
        assertThat(flags.mib("-XX:ReservedCodeCacheSize=")).isEqualTo(number(jvm, "codeCacheMiB"));
        assertThat(flags.kib("-Xss")).isEqualTo(number(jvm, "threadStackKiB"));
        assertThat(flags.all()).contains("-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", "-Duser.home=/tmp")
                .noneMatch((flag) -> flag.contains("RAMPercentage"));
        String extra = (String) jvm.get("extraOptions");
        assertThat(String.join(" ", flags.all())).as("extraOptions come last").endsWith(extra);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyAreaWithTheNativeHeadroomFitsTheContainersMemoryLimit(Path valuesFile) throws IOException {
        Rendering rendering = HelmChart.template(valuesFile);
        Flags flags = Flags.of(javaToolOptions(rendering));
        long limit = memoryLimitMib(rendering);
        long stacks = ceilDiv(number(jvmValues(valuesFile), "threads") * flags.kib("-Xss"), 1024);
        long budget = flags.mib("-Xmx") + flags.mib("-XX:MaxDirectMemorySize=") + flags.mib("-XX:MaxMetaspaceSize=")
                + flags.mib("-XX:ReservedCodeCacheSize=") + stacks + headroom(limit);
        assertThat(budget).as("MiB the JVM may take, of a %d MiB limit", limit).isLessThanOrEqualTo(limit);
    }

    @Test
    void theLargestHeapThatFitsRendersAndOneMiBMoreFails() {
        Rendering defaults = HelmChart.template(null);
        Flags flags = Flags.of(javaToolOptions(defaults));
        long limit = memoryLimitMib(defaults);
        long othersAndHeadroom = flags.mib("-XX:MaxDirectMemorySize=") + flags.mib("-XX:MaxMetaspaceSize=")
                + flags.mib("-XX:ReservedCodeCacheSize=") + ceilDiv(defaultThreads() * flags.kib("-Xss"), 1024)
                + headroom(limit);
        long largestHeap = limit - othersAndHeadroom;

        assertThat(Flags.of(javaToolOptions(HelmChart.template(null, Map.of("jvm.heapMiB", largestHeap)))).mib("-Xmx"))
                .isEqualTo(largestHeap);
        assertThatIllegalStateException()
                .isThrownBy(() -> HelmChart.template(null, Map.of("jvm.heapMiB", largestHeap + 1)))
                .withMessageContaining(OVER_THE_LIMIT)
                .withMessageContaining("jvm.heapMiB " + (largestHeap + 1))
                .withMessageContaining("= " + (limit + 1) + " MiB")
                .withMessageContaining("lower the jvm sizes or raise the limit");
    }

    @Test
    void threadStacksCountInTheBudget() {
        assertThatIllegalStateException()
                .isThrownBy(() -> HelmChart.template(null, Map.of("jvm.threads", 1000)))
                .withMessageContaining(OVER_THE_LIMIT)
                .withMessageContaining("thread stacks 500 (threads 1000 x threadStackKiB 512)");
    }

    @Test
    void aLimitInGibibytesIsParsed() {
        Map<String, Object> bigHeap = Map.of("jvm.heapMiB", 600);
        assertThatIllegalStateException().isThrownBy(() -> HelmChart.template(null, bigHeap))
                .withMessageContaining(OVER_THE_LIMIT + " (512Mi = 512 MiB)");
        Map<String, Object> inOneGibibyte = new HashMap<>(bigHeap);
        inOneGibibyte.put("resources.limits.memory", "1Gi");
        assertThat(Flags.of(javaToolOptions(HelmChart.template(null, inOneGibibyte))).mib("-Xmx")).isEqualTo(600);
        inOneGibibyte.put("jvm.heapMiB", 1024);
        assertThatIllegalStateException().isThrownBy(() -> HelmChart.template(null, inOneGibibyte))
                .withMessageContaining(OVER_THE_LIMIT + " (1Gi = 1024 MiB)")
                .withMessageContaining("native headroom 103");
    }

    @Test
    void loopOutputBuffersMustLeaveSixteenMiBOfDirectMemory() {
        assertThatIllegalStateException()
                .isThrownBy(() -> HelmChart.template(null, Map.of("asyncore.loop.threads", 2)))
                .withMessageContaining("asyncore.loop.threads (2) x asyncore.loop.maxOutputMemory (64MB) "
                        + NO_DIRECT_MEMORY_LEFT + " (96)")
                .withMessageContaining("raise jvm.directMemoryMiB to at least 144");
        // 96 MiB of direct memory: 80 MiB of output buffers leave exactly 16, one kilobyte more does not.
        assertThat(HelmChart.template(null, Map.of("asyncore.loop.maxOutputMemory", "80MB")).objects()).isNotEmpty();
        assertThatIllegalStateException()
                .isThrownBy(() -> HelmChart.template(null, Map.of("asyncore.loop.maxOutputMemory", "81921KB")))
                .withMessageContaining(NO_DIRECT_MEMORY_LEFT);
        assertThat(HelmChart.template(null, Map.of("asyncore.loop.threads", 2, "jvm.directMemoryMiB", 144,
                "jvm.heapMiB", 144)).objects()).as("more direct memory, taken from the heap").isNotEmpty();
    }

    @Test
    void extraOptionsMayNotResizeAnArea() {
        for (String flag : List.of("-Xmx1g", "-Xms64m", "-Xss2m", "-XX:MaxDirectMemorySize=1g", "-XX:MaxMetaspaceSize=1g",
                "-XX:ReservedCodeCacheSize=240m", "-XX:MaxRAMPercentage=75")) {
            assertThatIllegalStateException()
                    .isThrownBy(() -> HelmChart.template(null, Map.of("jvm.extraOptions", "-XX:+UseG1GC " + flag)))
                    .as(flag)
                    .withMessageContaining("jvm.extraOptions must not size the heap");
        }
        assertThat(javaToolOptions(HelmChart.template(null, Map.of("jvm.extraOptions", "-Xlog:gc -XX:+UseSerialGC"))))
                .endsWith(" -Duser.home=/tmp -Xlog:gc -XX:+UseSerialGC");
    }

    @Test
    void initialHeapIsTheHeapUnlessSetAndNeverAbove() {
        assertThat(Flags.of(javaToolOptions(HelmChart.template(null, Map.of("jvm.initialHeapMiB", 64)))).mib("-Xms"))
                .isEqualTo(64);
        assertThatIllegalStateException()
                .isThrownBy(() -> HelmChart.template(null, Map.of("jvm.initialHeapMiB", 193)))
                .withMessageContaining("jvm.initialHeapMiB (193) must not exceed jvm.heapMiB (192)");
    }

    /** The larger of 32 MiB and a tenth of the limit, rounded up: what the JVM needs beyond its capped areas. */
    private static long headroom(long limitMib) {
        return Math.max(32, ceilDiv(limitMib, 10));
    }

    private static long ceilDiv(long dividend, long divisor) {
        return (dividend + divisor - 1) / divisor;
    }

    private static long memoryLimitMib(Rendering rendering) {
        Quantity limit = HelmChartTests.container(rendering).getResources().getLimits().get("memory");
        BigDecimal bytes = Quantity.getAmountInBytes(limit);
        assertThat(bytes.remainder(BigDecimal.valueOf(MIB))).as("a whole number of MiB").isZero();
        return bytes.divide(BigDecimal.valueOf(MIB)).longValueExact();
    }

    private static String javaToolOptions(Rendering rendering) {
        Container container = HelmChartTests.container(rendering);
        return container.getEnv().stream()
                .filter((variable) -> variable.getName().equals("JAVA_TOOL_OPTIONS"))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no JAVA_TOOL_OPTIONS"));
    }

    private static long number(Map<String, Object> values, String key) {
        return ((Number) values.get(key)).longValue();
    }

    private static long defaultThreads() {
        try {
            return number(jvmValues(null), "threads");
        }
        catch (IOException ex) {
            throw new AssertionError(ex);
        }
    }

    /**
     * The jvm values a rendering used: values.yaml's, with those of the values file on top. Only the
     * thread count is not in JAVA_TOOL_OPTIONS; the others let a test compare flags with values.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> jvmValues(Path valuesFile) throws IOException {
        Map<String, Object> defaults = new Yaml().load(Files.readString(HelmChart.DIRECTORY.resolve("values.yaml")));
        Map<String, Object> jvm = new HashMap<>((Map<String, Object>) defaults.get("jvm"));
        if (valuesFile != null) {
            Map<String, Object> values = new Yaml().load(Files.readString(valuesFile));
            if (values != null && values.get("jvm") instanceof Map<?, ?> overrides) {
                jvm.putAll((Map<String, Object>) overrides);
            }
        }
        return jvm;
    }

    /** JAVA_TOOL_OPTIONS split into flags; each sizing flag must appear exactly once. */
    private record Flags(List<String> all) {

        private static final Pattern SIZE = Pattern.compile("([0-9]+)([kmg])");

        static Flags of(String javaToolOptions) {
            return new Flags(Arrays.asList(javaToolOptions.trim().split("\\s+")));
        }

        long mib(String prefix) {
            return bytes(prefix) / MIB;
        }

        long kib(String prefix) {
            return bytes(prefix) / 1024;
        }

        private long bytes(String prefix) {
            List<String> matching = this.all.stream().filter((flag) -> flag.startsWith(prefix)).toList();
            assertThat(matching).as("flags starting %s in %s", prefix, this.all).hasSize(1);
            Matcher size = SIZE.matcher(matching.get(0).substring(prefix.length()));
            assertThat(size.matches()).as("size of %s", matching.get(0)).isTrue();
            long unit = switch (size.group(2)) {
                case "k" -> 1024;
                case "m" -> MIB;
                default -> 1024 * MIB;
            };
            return Long.parseLong(size.group(1)) * unit;
        }

    }

}
