package io.github.asyncore.autoconfigure;

import java.time.Duration;
import java.util.function.Function;

import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.TlsSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

/**
 * The TLS of dispatcher beans, from Spring Boot SSL bundles ({@code spring.ssl.bundle.*}) named by
 * {@code asyncore.dispatchers.<bean-name>.ssl.bundle}: a listener (a bean with an address, or one that
 * listens on a socket of its own) serves TLS with the bundle's key (and, for client authentication,
 * trust) material; any other dispatcher bean is a client that trusts the bundle's trust material and
 * verifies host names unless told otherwise. Both offer the protocols and cipher suites of core's
 * {@link io.github.asyncore.core.TlsProfile} (TLS 1.3 and 1.2 with AEAD suites only), unless the bundle's
 * own {@code options} name them ({@code spring.ssl.bundle.*.<name>.options.enabled-protocols} and
 * {@code .ciphers}, in the JDK's names): what a bundle names is used as given, so an operator can loosen
 * the profile for a legacy peer or tighten it. A name the JDK does not support fails start-up. When
 * Spring Boot reloads a bundle, the dispatcher gets new settings, which apply to the connections it makes
 * or accepts from then on.
 */
class DispatcherTls {

    private static final Log logger = LogFactory.getLog(DispatcherTls.class);

    private final @Nullable SslBundles bundles;

    private final AsyncoreProperties properties;

    /**
     * @param bundles Spring Boot's bundles, or {@code null} when the application has none
     * @param properties where each dispatcher names its bundle
     */
    DispatcherTls(@Nullable SslBundles bundles, AsyncoreProperties properties) {
        this.bundles = bundles;
        this.properties = properties;
    }

    /**
     * The TLS settings of one dispatcher bean. Any thread.
     * @param beanName the dispatcher's bean name
     * @param server whether the dispatcher listens (else it is a client)
     * @return the settings, or {@code null} when the dispatcher names no bundle
     * @throws NoSuchSslBundleException when the bundle does not exist
     */
    @Nullable TlsSettings settingsFor(String beanName, boolean server) {
        AsyncoreProperties.DispatcherBean overrides = DispatcherSettings.find(this.properties, beanName);
        String bundleName = (overrides != null) ? overrides.getSsl().getBundle() : null;
        if (overrides == null || bundleName == null) {
            return null;
        }
        return toSettings(bundleName, bundle(beanName, bundleName), overrides, server);
    }

    /**
     * Gives the dispatcher new settings whenever its bundle is reloaded. Open connections keep the
     * session they have. Any thread; the settings are set on the dispatcher's loop.
     * @param beanName the dispatcher's bean name
     * @param dispatcher the dispatcher
     * @param server whether it listens
     */
    void followUpdates(String beanName, Dispatcher dispatcher, boolean server) {
        AsyncoreProperties.DispatcherBean overrides = DispatcherSettings.find(this.properties, beanName);
        if (this.bundles == null || overrides == null || overrides.getSsl().getBundle() == null) {
            return;
        }
        String bundleName = overrides.getSsl().getBundle();
        this.bundles.addBundleUpdateHandler(bundleName, (bundle) -> {
            TlsSettings settings = toSettings(bundleName, bundle, overrides, server);
            dispatcher.executor().execute(() -> {
                if (dispatcher.isClosed() || dispatcher.isConnected() || dispatcher.isConnecting()) {
                    logger.info("SSL bundle '" + bundleName + "' was reloaded; " + dispatcher
                            + " keeps its TLS session until it closes");
                    return;
                }
                dispatcher.setTls(settings);
                logger.info("SSL bundle '" + bundleName + "' was reloaded; new connections of Dispatcher bean '"
                        + beanName + "' use it");
            });
        });
    }

    private SslBundle bundle(String beanName, String bundleName) {
        if (this.bundles == null) {
            throw new NoSuchSslBundleException(bundleName, "SSL bundle '" + bundleName + "' named by 'asyncore.dispatchers."
                    + beanName + ".ssl.bundle' cannot be found: the application has no SslBundles bean");
        }
        try {
            return this.bundles.getBundle(bundleName);
        }
        catch (NoSuchSslBundleException ex) {
            throw new NoSuchSslBundleException(bundleName, "SSL bundle '" + bundleName + "' named by 'asyncore.dispatchers."
                    + beanName + ".ssl.bundle' cannot be found; configured bundles: " + this.bundles.getBundleNames(), ex);
        }
    }

    private TlsSettings toSettings(String bundleName, SslBundle bundle, AsyncoreProperties.DispatcherBean overrides,
            boolean server) {
        AsyncoreProperties.DispatcherSsl ssl = overrides.getSsl();
        TlsSettings settings = server ? TlsSettings.server(bundle.createSslContext()).withClientAuth(ssl.getClientAuth())
                : TlsSettings.client(bundle.createSslContext()).withHostnameVerification(ssl.isVerifyHostname());
        SslOptions options = bundle.getOptions();
        String[] protocols = options.getEnabledProtocols();
        if (protocols != null) {
            settings = withOption(bundleName, "enabled-protocols", protocols, settings::withProtocols);
        }
        String[] ciphers = options.getCiphers();
        if (ciphers != null) {
            settings = withOption(bundleName, "ciphers", ciphers, settings::withCipherSuites);
        }
        Duration timeout = DispatcherSettings.handshakeTimeout(overrides, this.properties.getChannel().getSsl());
        return settings.withHandshakeTimeout(timeout);
    }

    /** Applies one of the bundle's options; a value the JDK does not know fails naming the option. */
    private static TlsSettings withOption(String bundleName, String option, String[] values,
            Function<String[], TlsSettings> apply) {
        try {
            return apply.apply(values);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("options." + option + " of SSL bundle '" + bundleName
                    + "' cannot be used: " + ex.getMessage(), ex);
        }
    }

}
