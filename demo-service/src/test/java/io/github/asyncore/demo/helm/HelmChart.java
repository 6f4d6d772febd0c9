package io.github.asyncore.demo.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.jspecify.annotations.Nullable;

/**
 * The chart at {@code ../helm/asyncore-demo}, rendered in-process by helm-java (Helm's own Go code, no
 * helm binary) and read back as typed fabric8 objects.
 * <p>
 * {@code helm template} leaves hooks out of its output, and helm-java has no {@code --show-only}; so
 * rendering works on a copy of the chart with one extra template, a ConfigMap that {@code include}s each
 * file under {@code templates/tests/}. Helm renders the hooks with the same values as everything else,
 * and {@link Rendering#hooks()} parses them out of that ConfigMap.
 */
final class HelmChart {

    /** The chart, relative to this module (surefire runs in the module's directory, {@code basedir}). */
    static final Path DIRECTORY = Path.of(System.getProperty("basedir", "."), "..", "helm", "asyncore-demo")
            .toAbsolutePath()
            .normalize();

    private static final String HOOKS_TEMPLATE = "zz-hooks-for-tests.yaml";

    private static final String HOOKS_CONFIG_MAP = "hooks-rendered-for-tests";

    private HelmChart() {
    }

    /** @return the {@code ci/*-values.yaml} files, one per variant of the chart, sorted by name */
    static List<Path> ciValuesFiles() {
        try (Stream<Path> files = Files.list(DIRECTORY.resolve("ci"))) {
            return files.filter((file) -> file.getFileName().toString().endsWith("-values.yaml")).sorted().toList();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return the result of {@code helm lint --strict} on the chart itself */
    static LintResult lintStrict() {
        return new Helm(DIRECTORY).lint().strict().call();
    }

    /**
     * {@code helm template release chart [--values file] [--set key=value ...]}.
     * @param valuesFile a values file, or {@code null} for the chart's defaults
     * @param sets {@code --set} pairs
     * @return what Helm rendered, parsed
     * @throws IllegalStateException with Helm's message when rendering fails (a schema violation, say)
     */
    static Rendering template(@Nullable Path valuesFile, Map<String, Object> sets) {
        Path copy = copyWithHooksExposed();
        try {
            TemplateCommand template = new Helm(copy).template().withName("demo").withNamespace("apps");
            if (valuesFile != null) {
                template = template.withValuesFile(valuesFile);
            }
            for (Map.Entry<String, Object> set : sets.entrySet()) {
                template = template.set(set.getKey(), set.getValue());
            }
            return Rendering.parse(template.call());
        }
        finally {
            deleteRecursively(copy);
        }
    }

    static Rendering template(@Nullable Path valuesFile) {
        return template(valuesFile, Map.of());
    }

    /**
     * The NOTES.txt a user sees after {@code helm install} (a client-only dry run: no cluster).
     * @param valuesFile a values file, or {@code null} for the chart's defaults
     * @param sets {@code --set} pairs
     * @return the rendered notes
     */
    static String notes(@Nullable Path valuesFile, Map<String, Object> sets) {
        InstallCommand install = new Helm(DIRECTORY).install().withName("demo").withNamespace("apps").dryRun().clientOnly();
        if (valuesFile != null) {
            install = install.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            install = install.set(set.getKey(), set.getValue());
        }
        String output = install.call().getOutput();
        return output.substring(output.indexOf("NOTES:"));
    }

    static String notes(@Nullable Path valuesFile) {
        return notes(valuesFile, Map.of());
    }

    private static Path copyWithHooksExposed() {
        try {
            Path copy = Files.createTempDirectory("asyncore-demo-chart").resolve("asyncore-demo");
            try (Stream<Path> files = Files.walk(DIRECTORY)) {
                for (Path source : files.toList()) {
                    Files.copy(source, copy.resolve(DIRECTORY.relativize(source).toString()));
                }
            }
            StringBuilder hooks = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ")
                    .append(HOOKS_CONFIG_MAP).append("\ndata:\n");
            try (Stream<Path> tests = Files.list(DIRECTORY.resolve("templates/tests"))) {
                for (Path test : tests.sorted().toList()) {
                    String name = test.getFileName().toString();
                    hooks.append("  ").append(name).append(": |\n    {{- include (print $.Template.BasePath \"/tests/")
                            .append(name).append("\") . | nindent 4 }}\n");
                }
            }
            Files.writeString(copy.resolve("templates").resolve(HOOKS_TEMPLATE), hooks);
            return copy;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void deleteRecursively(Path chartCopy) {
        try (Stream<Path> files = Files.walk(chartCopy.getParent())) {
            for (Path file : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(file);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The objects of one rendering.
     * @param objects what {@code helm install} would apply
     * @param hooks the hooks ({@code helm test}'s pods)
     */
    record Rendering(List<HasMetadata> objects, List<HasMetadata> hooks) {

        static Rendering parse(String manifest) {
            List<HasMetadata> objects = new ArrayList<>();
            List<HasMetadata> hooks = new ArrayList<>();
            for (HasMetadata object : unmarshalAll(manifest)) {
                if (object instanceof ConfigMap configMap && HOOKS_CONFIG_MAP.equals(configMap.getMetadata().getName())) {
                    configMap.getData().values().forEach((hook) -> hooks.addAll(unmarshalAll(hook)));
                }
                else {
                    objects.add(object);
                }
            }
            return new Rendering(List.copyOf(objects), List.copyOf(hooks));
        }

        private static List<HasMetadata> unmarshalAll(String yaml) {
            List<HasMetadata> objects = new ArrayList<>();
            for (String document : yaml.split("(?m)^---\\s*$")) {
                if (document.lines().anyMatch((line) -> !line.isBlank() && !line.startsWith("#"))) {
                    objects.add(Serialization.unmarshal(document, HasMetadata.class));
                }
            }
            return objects;
        }

        /** @return every object of the kind, in the order Helm rendered them */
        <T extends HasMetadata> List<T> all(Class<T> kind) {
            return this.objects.stream().filter(kind::isInstance).map(kind::cast).toList();
        }

        /** @return the one object of the kind; fails when there is none or more than one */
        <T extends HasMetadata> T one(Class<T> kind) {
            List<T> all = all(kind);
            if (all.size() != 1) {
                throw new AssertionError("expected one " + kind.getSimpleName() + ", rendered " + all.size());
            }
            return all.get(0);
        }

        /** @return the object of the kind with the name; fails when there is none */
        <T extends HasMetadata> T named(Class<T> kind, String name) {
            return all(kind).stream()
                    .filter((object) -> name.equals(object.getMetadata().getName()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " named " + name));
        }

    }

}
