package io.github.asyncore.autoconfigure;

import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at start-up when the {@code asyncore.*} configuration cannot be what the application meant: a
 * key that asyncore does not know ({@link UnknownProperties}), or a key under
 * {@code asyncore.dispatchers} that names no dispatcher bean (a typo, or a bean that is not created) or
 * matches several; {@code asyncore.ssl.provider=conscrypt} without a Conscrypt that loads. It carries the description and the action that
 * {@link AsyncoreConfigurationFailureAnalyzer} shows.
 */
class AsyncoreConfigurationException extends RuntimeException {

    private final String action;

    AsyncoreConfigurationException(String description, String action) {
        super(description);
        this.action = action;
    }

    static AsyncoreConfigurationException unknownDispatchers(List<String> keys, Collection<String> beanNames) {
        String names = String.join(", ", keys.stream().map((key) -> "'asyncore.dispatchers." + key + "'").toList());
        String beans = beanNames.isEmpty() ? "There are no Dispatcher beans."
                : "The Dispatcher beans are: " + String.join(", ", beanNames) + ".";
        return new AsyncoreConfigurationException(
                ((keys.size() == 1) ? names + " names no Dispatcher bean" : names + " name no Dispatcher bean")
                        + ", so nothing would use " + ((keys.size() == 1) ? "its" : "their") + " settings. " + beans,
                "Use a Dispatcher bean's name under 'asyncore.dispatchers' (in any relaxed form: 'kvServer',"
                        + " 'kv-server' or KVSERVER in an environment variable), or define the bean.");
    }

    static AsyncoreConfigurationException ambiguousDispatcher(String key, List<String> beanNames) {
        return new AsyncoreConfigurationException("'asyncore.dispatchers." + key + "' matches several Dispatcher"
                + " beans by Spring Boot's relaxed names (case, dashes and underscores aside): "
                + String.join(", ", beanNames) + ".",
                "Give those beans names that differ by more than case, dashes or underscores.");
    }

    static AsyncoreConfigurationException conscryptMissing() {
        return new AsyncoreConfigurationException("'asyncore.ssl.provider' is 'conscrypt', but Conscrypt is not on"
                + " the class path.", "Add the dependency org.conscrypt:conscrypt-openjdk-uber (for example version "
                        + "2.5.2) to the application, or use 'asyncore.ssl.provider=jdk' (the default).");
    }

    static AsyncoreConfigurationException conscryptUnavailable(@Nullable Throwable reason) {
        return new AsyncoreConfigurationException("'asyncore.ssl.provider' is 'conscrypt', but Conscrypt's native"
                + " library (BoringSSL) does not load on this platform (" + System.getProperty("os.name") + ", "
                + System.getProperty("os.arch") + ")" + ((reason != null) ? ": " + reason : "") + ".",
                "Use 'asyncore.ssl.provider=jdk', or run on a platform that org.conscrypt:conscrypt-openjdk-uber"
                        + " has a native library for (2.5.2 carries Linux, macOS and Windows on x86_64, and Windows"
                        + " on x86; no aarch64).");
    }

    String getAction() {
        return this.action;
    }

}
