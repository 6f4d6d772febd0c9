package io.github.asyncore.demo;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo is the application users read and copy, so it uses asyncore as an application must: through
 * core's API ({@code io.github.asyncore.core}) and the starter's ({@code io.github.asyncore.boot}), never
 * core's internal layer ({@code io.github.asyncore.core.internal}), which is not API and may change in any
 * release. Were the demo to need an internal type, the API would lack something every application needs.
 * <p>
 * The demo's classes are read with {@code jdeps}, the JDK's dependency analyser, so that the demo needs no
 * test dependency beyond the starter's; it sees what ArchUnit sees: every class a compiled class refers to.
 */
class CoreApiOnlyTests {

    private static final Pattern DEPENDENCY = Pattern.compile("^\\s*(\\S+)\\s+->\\s+(\\S+)", Pattern.MULTILINE);

    @Test
    void demoUsesCoreApiOnly() {
        List<String> dependencies = coreDependencies(Path.of("target", "classes"));
        // The demo uses core's API all over; none seen means jdeps was not read right, not a clean demo.
        assertThat(dependencies).as("the demo's dependencies on core, as jdeps reports them").isNotEmpty();
        assertThat(dependencies).as("the demo's dependencies on core's internal layer")
            .filteredOn((dependency) -> dependency.contains(" -> io.github.asyncore.core.internal."))
            .isEmpty();
    }

    /**
     * @param classes a directory of compiled classes
     * @return each dependency of a demo class there on a class of core, as {@code origin -> target}
     */
    static List<String> coreDependencies(Path classes) {
        assertThat(Files.isDirectory(classes.resolve("io/github/asyncore/demo"))).as("demo classes in %s", classes)
            .isTrue();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
            .orElseThrow(() -> new IllegalStateException("jdeps not found: the tests need a JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:class", "-include",
                "io\\.github\\.asyncore\\.demo\\..*", "-e", "io\\.github\\.asyncore\\.core\\..*", classes.toString());
        assertThat(exit).as("jdeps exit status; stderr: %s", err).isZero();
        List<String> dependencies = new ArrayList<>();
        Matcher line = DEPENDENCY.matcher(out.toString());
        while (line.find()) {
            if (line.group(1).startsWith("io.github.asyncore.demo.")) {
                dependencies.add(line.group(1) + " -> " + line.group(2));
            }
        }
        return dependencies;
    }

}
