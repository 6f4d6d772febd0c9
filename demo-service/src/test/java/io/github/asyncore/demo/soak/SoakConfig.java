package io.github.asyncore.demo.soak;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a soak run does, from {@code soak.*} system properties (or {@code --name=value} arguments of
 * {@link SoakDriver#main}, which stand for {@code soak.name}):
 * <ul>
 * <li>{@code soak.duration} (default {@code 1m}): how long clients drive the demo, warm-up included;
 * {@code 90s}, {@code 10m}, {@code 2m30s}, {@code 1h} or ISO-8601 ({@code PT10M});</li>
 * <li>{@code soak.warm-up} (default a tenth of the duration, 10 s to 60 s): load before the baseline is
 * taken, so that pools, caches and JIT are settled when heap and descriptors are first compared;</li>
 * <li>{@code soak.concurrency} (default 12): client threads, each running one scenario at a time;</li>
 * <li>{@code soak.seed} (default random, printed): seeds every random choice;</li>
 * <li>{@code soak.sample-interval} (default {@code 2s}): how often the server's metrics are read;</li>
 * <li>{@code soak.heap-slack-mib} (default 16): how much more heap, and how much more direct buffer memory,
 * the settled end state (after a forced GC, no clients) may use than the settled baseline;</li>
 * <li>{@code soak.descriptor-slack} (default 8): how many more descriptors it may hold;</li>
 * <li>{@code soak.server.jar}, or {@code soak.server.classpath}, or {@code soak.server.classpath-file}
 * with {@code soak.server.classes}: how to start the demo (the Maven profile passes the demo's runtime
 * classpath; without any, {@code target/asyncore-demo-service.jar} if built, else this JVM's
 * classpath);</li>
 * <li>{@code soak.server.jvm-args} (default {@code -Xms64m -Xmx256m -XX:+ExitOnOutOfMemoryError}): the
 * server's JVM options;</li>
 * <li>{@code soak.dir} (default {@code target/soak}): where the server log, the samples and the summary
 * go.</li>
 * </ul>
 */
record SoakConfig(Duration duration, Duration warmUp, int concurrency, long seed, Duration sampleInterval,
        long heapSlackBytes, int descriptorSlack, List<String> serverLaunch, List<String> serverJvmArgs,
        Path directory) {

    static final String MAIN_CLASS = "io.github.asyncore.demo.DemoApplication";

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+(ms|s|m|h))+");

    SoakConfig {
        if (concurrency < 1) {
            throw new IllegalArgumentException("soak.concurrency must be at least 1");
        }
        if (!warmUp.minus(duration).isNegative()) {
            throw new IllegalArgumentException("soak.warm-up (" + warmUp + ") must be shorter than soak.duration ("
                    + duration + ")");
        }
    }

    static SoakConfig fromSystemProperties() throws IOException {
        return from(System.getProperties());
    }

    /** @param args {@code --name=value}, each standing for the system property {@code soak.name} */
    static SoakConfig fromArguments(String[] args) throws IOException {
        Properties properties = new Properties();
        properties.putAll(System.getProperties());
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            properties.setProperty("soak." + arg.substring(2, equals), arg.substring(equals + 1));
        }
        return from(properties);
    }

    private static SoakConfig from(Properties properties) throws IOException {
        Duration duration = duration(properties.getProperty("soak.duration", "1m"));
        String warmUpText = blankToNull(properties.getProperty("soak.warm-up"));
        Duration warmUp = (warmUpText != null) ? duration(warmUpText) : defaultWarmUp(duration);
        int concurrency = Integer.parseInt(properties.getProperty("soak.concurrency", "12").strip());
        String seedText = blankToNull(properties.getProperty("soak.seed"));
        long seed = (seedText != null) ? Long.parseLong(seedText) : ThreadLocalRandom.current().nextLong();
        Duration sampleInterval = duration(properties.getProperty("soak.sample-interval", "2s"));
        long heapSlack = Long.parseLong(properties.getProperty("soak.heap-slack-mib", "16").strip()) * 1024 * 1024;
        int descriptorSlack = Integer.parseInt(properties.getProperty("soak.descriptor-slack", "8").strip());
        String jvmArgs = properties.getProperty("soak.server.jvm-args", "-Xms64m -Xmx256m -XX:+ExitOnOutOfMemoryError");
        Path directory = Path.of(properties.getProperty("soak.dir", "target/soak")).toAbsolutePath();
        return new SoakConfig(duration, warmUp, concurrency, seed, sampleInterval, heapSlack, descriptorSlack,
                serverLaunch(properties), Arrays.asList(jvmArgs.strip().split("\\s+")), directory);
    }

    /** @return the arguments after {@code java [jvm args]} that start the demo */
    private static List<String> serverLaunch(Properties properties) throws IOException {
        String jar = blankToNull(properties.getProperty("soak.server.jar"));
        if (jar != null) {
            return List.of("-jar", Path.of(jar).toAbsolutePath().toString());
        }
        String classpath = blankToNull(properties.getProperty("soak.server.classpath"));
        String classpathFile = blankToNull(properties.getProperty("soak.server.classpath-file"));
        if (classpath == null && classpathFile != null) {
            List<String> entries = new ArrayList<>();
            String classes = blankToNull(properties.getProperty("soak.server.classes"));
            if (classes != null) {
                entries.add(classes);
            }
            String dependencies = Files.readString(Path.of(classpathFile), StandardCharsets.UTF_8).strip();
            if (!dependencies.isEmpty()) {
                entries.add(dependencies);
            }
            classpath = String.join(File.pathSeparator, entries);
        }
        if (classpath != null) {
            return List.of("-cp", classpath, MAIN_CLASS);
        }
        for (String candidate : List.of("target/asyncore-demo-service.jar",
                "demo-service/target/asyncore-demo-service.jar")) {
            if (Files.isRegularFile(Path.of(candidate))) {
                return List.of("-jar", Path.of(candidate).toAbsolutePath().toString());
            }
        }
        return List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS);
    }

    private static Duration defaultWarmUp(Duration duration) {
        Duration tenth = duration.dividedBy(10);
        if (tenth.compareTo(Duration.ofSeconds(10)) < 0) {
            return Duration.ofSeconds(10);
        }
        return (tenth.compareTo(Duration.ofSeconds(60)) > 0) ? Duration.ofSeconds(60) : tenth;
    }

    static Duration duration(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (SIMPLE_DURATION.matcher(value).matches()) { // 90s, 10m, 2m30s, 1h
            Duration total = Duration.ZERO;
            Matcher part = DURATION_PART.matcher(value);
            while (part.find()) {
                long amount = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                });
            }
            return total;
        }
        return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
    }

    private static String blankToNull(String value) {
        return (value == null || value.isBlank()) ? null : value.strip();
    }

}
