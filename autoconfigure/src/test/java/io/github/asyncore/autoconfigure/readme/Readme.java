package io.github.asyncore.autoconfigure.readme;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads the README's fenced code blocks and the example sources they must equal. */
public final class Readme {

    static final Path SOURCES = Path.of("src", "test", "java", "io", "github", "asyncore", "autoconfigure", "readme");

    public static final Path CLIENT_GUIDE_SOURCES = SOURCES.resolveSibling("clientguide");

    private static final Path README = Path.of("..", "README.md");

    private Readme() {
    }

    /** @return the fenced blocks of one language in the README section with that heading */
    public static List<String> blocks(String heading, String language) throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf(heading);
        if (start < 0) {
            throw new IllegalStateException("The README has no section " + heading);
        }
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, (end > 0) ? end : readme.length());
        Matcher block = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(section);
        List<String> blocks = new ArrayList<>();
        while (block.find()) {
            blocks.add(block.group(1).strip());
        }
        return blocks;
    }

    /**
     * @return the property sources of the README section's YAML block at that index, as Spring Boot
     *         loads an {@code application.yml}
     */
    public static List<PropertySource<?>> yaml(String heading, int index, int blocks) throws IOException {
        List<String> yaml = blocks(heading, "yaml");
        assertThat(yaml).as("YAML blocks in %s", heading).hasSize(blocks);
        return new YamlPropertySourceLoader().load("README.md",
                new ByteArrayResource(yaml.get(index).getBytes(StandardCharsets.UTF_8)));
    }

    /** @return the source from the class's first annotation or declaration on, without package and imports */
    static String classBody(String fileName) throws IOException {
        return classBody(SOURCES.resolve(fileName));
    }

    /** @return the source from the class's first annotation or declaration on, without package and imports */
    public static String classBody(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int first = 0;
        while (!lines.get(first).startsWith("@") && !lines.get(first).startsWith("public class")) {
            first++;
        }
        return String.join("\n", lines.subList(first, lines.size())).strip();
    }

}
