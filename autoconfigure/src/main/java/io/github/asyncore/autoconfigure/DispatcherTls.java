package io.github.asyncore.autoconfigure;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.time.Duration;
import java.util.function.Function;

import javax.net.ssl.SSLContext;

import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.TlsSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.util.ClassUtils;

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
 * <p>
 * Whose engine speaks TLS is {@code asyncore.ssl.provider}'s choice: {@link TlsProvider#JDK} uses the
 * bundle's own context ({@link SslBundle#createSslContext()}); {@link TlsProvider#CONSCRYPT} builds the
 * context with Conscrypt's provider from the bundle's key and trust managers, the way Spring Boot builds
 * its own, so that the same bundle, options and settings apply on BoringSSL's engine.
 */
class DispatcherTls {

    private static final Log logger = LogFactory.getLog(DispatcherTls.class);

    private final @Nullable SslBundles bundles;

    private final AsyncoreProperties properties;

    /** The provider of the contexts, or {@code null} for the bundles' own (the JDK's). */
    private final @Nullable Provider provider;

    /**
     * @param bundles Spring Boot's bundles, or {@code null} when the application has none
     * @param properties where each dispatcher names its bundle, and the TLS provider
     * @param classLoader where to look for an optional provider (the application's)
     * @throws AsyncoreConfigurationException when the chosen provider is missing or does not load
     */
    DispatcherTls(@Nullable SslBundles bundles, AsyncoreProperties properties, @Nullable ClassLoader classLoader) {
        this.bundles = bundles;
        this.properties = properties;
        this.provider = provider(properties.getSsl().getProvider(), classLoader);
    }

    private static @Nullable Provider provider(TlsProvider choice, @Nullable ClassLoader classLoader) {
        if (choice == TlsProvider.JDK) {
            return null;
        }
        if (!ClassUtils.isPresent("org.conscrypt.Conscrypt", classLoader)) {
            throw AsyncoreConfigurationException.conscryptMissing();
        }
        Provider provider = ConscryptProvider.newProvider();
        logger.info("TLS provider: " + provider.getName() + " " + provider.getVersionStr()
                + " (BoringSSL) for the SSL bundles of Dispatcher beans");
        return provider;
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
        SSLContext context = sslContext(bundleName, bundle);
        TlsSettings settings = server ? TlsSettings.server(context).withClientAuth(ssl.getClientAuth())
                : TlsSettings.client(context).withHostnameVerification(ssl.isVerifyHostname());
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

    /**
     * The bundle's context: its own with the JDK's provider, else one of the chosen provider's initialised
     * with the bundle's protocol and its key and trust managers, as {@link SslBundle#createSslContext()} does
     * (see {@link ConscryptProvider} for what is evened out so that it behaves as the JDK's).
     */
    private SSLContext sslContext(String bundleName, SslBundle bundle) {
        if (this.provider == null) {
            return bundle.createSslContext();
        }
        try {
            SslManagerBundle managers = bundle.getManagers();
            return ConscryptProvider.newContext(this.provider, bundle.getProtocol(), managers.getKeyManagers(),
                    managers.getTrustManagers());
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("SSL bundle '" + bundleName + "' cannot make a TLS context with "
                    + this.provider.getName() + ": " + ex.getMessage(), ex);
        }
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
