package io.github.asyncore.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Finds the keys under {@code asyncore.} that no setting binds, such as
 * {@code asyncore.dispatcher.kvServer.address} (singular) or {@code asyncore.channel.idle-timout}, which
 * Spring Boot would otherwise ignore while the application starts serving nothing. A key from a file or
 * any other configuration fails start-up; one from an environment variable is logged as a warning only,
 * because the platform sets variables the application does not choose (Kubernetes gives every Service
 * {@code <NAME>_SERVICE_HOST} and {@code <NAME>_PORT}, so a Service named {@code asyncore} would). Each is
 * reported with where it comes from and the nearest known key.
 */
final class UnknownProperties {

    private static final Log logger = LogFactory.getLog(UnknownProperties.class);

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"(asyncore\\.[^\"]+)\"");

    private UnknownProperties() {
    }

    /**
     * @param environment the application's environment
     * @throws AsyncoreConfigurationException when a key from outside the environment variables is unknown
     */
    static void check(Environment environment) {
        List<ConfigurationProperty> unbound = unbound(environment);
        if (unbound.isEmpty()) {
            return;
        }
        Set<String> known = knownNames();
        List<String> failures = new ArrayList<>();
        for (ConfigurationProperty property : unbound) {
            String name = property.getName().toString();
            String report = "'" + name + "'" + origin(property) + suggestion(name, known);
            if (property.getSource().getUnderlyingSource() instanceof SystemEnvironmentPropertySource) {
                logger.warn("Unknown asyncore property " + report + "; it is ignored");
            }
            else {
                failures.add(report);
            }
        }
        if (!failures.isEmpty()) {
            throw new AsyncoreConfigurationException(
                    "Unknown asyncore " + ((failures.size() == 1) ? "property" : "properties") + ":\n    "
                            + String.join("\n    ", failures),
                    "Correct or remove " + ((failures.size() == 1) ? "it" : "them")
                            + ": the asyncore properties are listed in the README and in the configuration"
                            + " metadata your IDE completes from.");
        }
    }

    private static List<ConfigurationProperty> unbound(Environment environment) {
        try {
            Binder.get(environment).bind("asyncore", Bindable.ofInstance(new AsyncoreProperties()),
                    new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
        }
        catch (BindException ex) {
            if (ex.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
                return new ArrayList<>(unbound.getUnboundProperties());
            }
            // any other binding failure is reported by the binding of the properties bean itself
        }
        return List.of();
    }

    private static String origin(ConfigurationProperty property) {
        return (property.getOrigin() != null) ? " (from " + property.getOrigin() + ")" : "";
    }

    private static String suggestion(String name, Set<String> known) {
        String[] elements = name.split("\\.");
        String nearest = null;
        int best = Integer.MAX_VALUE;
        for (String candidate : known) {
            String filled = fill(candidate, elements);
            int distance = distance(name, filled);
            if (distance < best) {
                best = distance;
                nearest = filled;
            }
        }
        return (nearest != null && best <= Math.max(3, name.length() / 4)) ? "; did you mean '" + nearest + "'?" : "";
    }

    /** Puts the unknown key's own element where a known name has {@code *} (a dispatcher's bean name). */
    private static String fill(String candidate, String[] elements) {
        String[] parts = candidate.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].equals("*") && i < elements.length) {
                parts[i] = elements[i];
            }
        }
        return String.join(".", parts);
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** The documented names, read from the configuration metadata this jar ships. */
    static Set<String> knownNames() {
        Set<String> names = new LinkedHashSet<>();
        try {
            Enumeration<URL> resources = UnknownProperties.class.getClassLoader().getResources(METADATA);
            while (resources.hasMoreElements()) {
                String json = read(resources.nextElement());
                if (json != null) {
                    Matcher matcher = NAME.matcher(json);
                    while (matcher.find()) {
                        names.add(matcher.group(1));
                    }
                }
            }
        }
        catch (IOException ex) {
            logger.debug("Could not read the configuration metadata", ex);
        }
        return names;
    }

    private static @Nullable String read(URL resource) {
        try (InputStream in = resource.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            logger.debug("Could not read " + resource, ex);
            return null;
        }
    }

}
