package io.github.asyncore.autoconfigure.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;

/**
 * The console's files, read once from the starter's jar ({@code META-INF/asyncore/console/}) and held in
 * memory: a few kilobytes. Only the files named here are served, so a request can never reach another
 * class path resource. Immutable; any thread.
 */
final class ConsoleAssets {

    static final String LOCATION = "META-INF/asyncore/console/";

    private static final Map<String, MediaType> FILES = files();

    private final Map<String, Asset> assets;

    private ConsoleAssets(Map<String, Asset> assets) {
        this.assets = assets;
    }

    /**
     * @return every file of the console
     * @throws IllegalStateException when one is missing from the jar (a broken build)
     */
    static ConsoleAssets load() {
        Map<String, Asset> assets = new LinkedHashMap<>();
        FILES.forEach((name, type) -> assets.put(name, Asset.read(name, type)));
        return new ConsoleAssets(Map.copyOf(assets));
    }

    /**
     * @param name a file name without a path, such as {@code console.js}
     * @return the file, or {@code null} when the console has no file of that name
     */
    @Nullable Asset get(String name) {
        return this.assets.get(name);
    }

    private static Map<String, MediaType> files() {
        Map<String, MediaType> files = new LinkedHashMap<>();
        files.put("index.html", new MediaType("text", "html", StandardCharsets.UTF_8));
        files.put("console.css", new MediaType("text", "css", StandardCharsets.UTF_8));
        files.put("console.js", new MediaType("text", "javascript", StandardCharsets.UTF_8));
        files.put("chart.js", new MediaType("text", "javascript", StandardCharsets.UTF_8));
        files.put("favicon.svg", new MediaType("image", "svg+xml"));
        return files;
    }

    /**
     * One file, with a strong entity tag from its content so that a browser revalidates cheaply.
     *
     * @param content the file's bytes (never modified)
     * @param type its media type
     * @param etag its quoted entity tag
     */
    record Asset(byte[] content, MediaType type, String etag) {

        static Asset read(String name, MediaType type) {
            ClassPathResource resource = new ClassPathResource(LOCATION + name, ConsoleAssets.class.getClassLoader());
            try (InputStream in = resource.getInputStream()) {
                byte[] content = in.readAllBytes();
                return new Asset(content, type, "\"" + digest(content) + "\"");
            }
            catch (IOException ex) {
                throw new UncheckedIOException("The console's file " + LOCATION + name + " is missing", ex);
            }
        }

        private static String digest(byte[] content) {
            try {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(content);
                return HexFormat.of().formatHex(hash, 0, 12);
            }
            catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException("Every JVM has SHA-256", ex);
            }
        }

    }

}
