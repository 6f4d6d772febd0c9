package io.github.asyncore.autoconfigure.readme;

import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import io.github.asyncore.autoconfigure.AsyncoreProperties;
import io.github.asyncore.autoconfigure.TlsProvider;
import io.github.asyncore.core.TlsSettings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.ssl.PemSslBundleProperties;
import org.springframework.boot.autoconfigure.ssl.SslBundleProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README's "TLS" section true: its bundle options bind to Spring Boot's bundle properties, and
 * every protocol and cipher suite they name is one this JDK supports, so that the example would start; the
 * provider example binds to {@code asyncore.ssl.provider}.
 */
class TlsReadmeTests {

    private static final String SECTION = "## TLS";

    @Test
    void theBundleOptionsExampleBindsAndNamesOnlyWhatTheJdkSupports() throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        List<PropertySource<?>> sources = Readme.yaml(SECTION, 1, 3);
        sources.forEach(environment.getPropertySources()::addLast);
        Map<String, PemSslBundleProperties> bundles = Binder.get(environment)
            .bind("spring.ssl.bundle.pem", Bindable.mapOf(String.class, PemSslBundleProperties.class))
            .get();
        SslBundleProperties.Options legacy = bundles.get("legacy-devices").getOptions();
        assertThat(legacy.getCiphers()).hasSize(5).contains("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
        assertThat(legacy.getEnabledProtocols()).isNull();
        SslBundleProperties.Options modern = bundles.get("modern-only").getOptions();
        assertThat(modern.getEnabledProtocols()).containsExactly("TLSv1.3");
        TlsSettings settings = TlsSettings.server(SSLContext.getDefault())
            .withCipherSuites(legacy.getCiphers().toArray(String[]::new))
            .withProtocols(modern.getEnabledProtocols().toArray(String[]::new));
        assertThat(settings.cipherSuites()).containsExactlyElementsOf(legacy.getCiphers());
        assertThat(settings.protocols()).containsExactly("TLSv1.3");
    }

    @Test
    void theProviderExampleChoosesConscrypt() throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        Readme.yaml(SECTION, 2, 3).forEach(environment.getPropertySources()::addLast);
        AsyncoreProperties properties = Binder.get(environment).bind("asyncore", AsyncoreProperties.class).get();
        assertThat(properties.getSsl().getProvider()).isEqualTo(TlsProvider.CONSCRYPT);
    }

}
