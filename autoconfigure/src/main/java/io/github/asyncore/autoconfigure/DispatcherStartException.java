package io.github.asyncore.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * A dispatcher bean could not be started: its socket could not be opened at its address (in use, not
 * available, unknown host), its SSL bundle does not exist, or setting it up failed. Fails application start-up;
 * {@link DispatcherStartFailureAnalyzer} explains it.
 */
class DispatcherStartException extends RuntimeException {

    private final String beanName;

    private final @Nullable String address;

    private final @Nullable String property;

    /**
     * @param beanName the dispatcher's bean name
     * @param address the configured address, or {@code null} when none was configured
     * @param cause what went wrong
     */
    DispatcherStartException(String beanName, @Nullable String address, Throwable cause) {
        this(beanName, address, null, cause);
    }

    /**
     * @param beanName the dispatcher's bean name
     * @param address the configured address, or {@code null} when none was configured
     * @param property the property whose value could not be used, or {@code null} when the address (or
     *        the dispatcher's own code) failed
     * @param cause what went wrong
     */
    DispatcherStartException(String beanName, @Nullable String address, @Nullable String property,
            Throwable cause) {
        super("Dispatcher bean '" + beanName + "' could not start"
                + ((address != null) ? " at " + address : "") + ": " + cause.getMessage(), cause);
        this.beanName = beanName;
        this.address = address;
        this.property = property;
    }

    /** @return the dispatcher's bean name */
    String getBeanName() {
        return this.beanName;
    }

    /** @return the configured address, or {@code null} when none was configured */
    @Nullable String getAddress() {
        return this.address;
    }

    /** @return the property whose value could not be used, or {@code null} when it was the address */
    @Nullable String getProperty() {
        return this.property;
    }

}
