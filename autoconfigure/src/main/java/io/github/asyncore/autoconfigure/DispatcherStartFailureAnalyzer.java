package io.github.asyncore.autoconfigure;

import java.net.BindException;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link DispatcherStartException} at start-up: which bean, which address (or which SSL
 * bundle), and what to do, instead of a stack trace.
 */
class DispatcherStartFailureAnalyzer extends AbstractFailureAnalyzer<DispatcherStartException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DispatcherStartException cause) {
        String bean = cause.getBeanName();
        if (cause.getCause() instanceof NoSuchSslBundleException missing) {
            String property = (cause.getProperty() != null) ? cause.getProperty()
                    : "asyncore.dispatchers." + bean + ".ssl.bundle";
            return new FailureAnalysis("Dispatcher bean '" + bean + "' names SSL bundle '" + missing.getBundleName()
                    + "' in '" + property + "', but it does not exist: " + missing.getMessage(),
                    "Configure the bundle under 'spring.ssl.bundle.jks." + missing.getBundleName()
                            + "' or 'spring.ssl.bundle.pem." + missing.getBundleName() + "', or name an existing"
                            + " bundle in '" + property + "'.",
                    cause);
        }
        if (cause.getProperty() != null && cause.getProperty().endsWith(".remote-address")) {
            return new FailureAnalysis("Dispatcher bean '" + bean + "' could not start connecting to "
                    + cause.getAddress() + ": " + cause.getCause().getMessage(),
                    "Check '" + cause.getProperty() + "': it must be 'port', 'host:port', '[ipv6]:port' or"
                            + " 'unix:/path' of a server, and a bean that the starter connects must not open a socket"
                            + " of its own.",
                    cause);
        }
        if (cause.getProperty() != null) {
            return new FailureAnalysis("Dispatcher bean '" + bean + "' could not use the SSL bundle named in '"
                    + cause.getProperty() + "': " + cause.getCause().getMessage(),
                    "Check that bundle under 'spring.ssl.bundle.jks.*' or 'spring.ssl.bundle.pem.*': its key and"
                            + " trust material, and its options (ciphers and enabled-protocols in the JDK's names,"
                            + " such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 and TLSv1.3, which this JDK must"
                            + " support).",
                    cause);
        }
        String address = cause.getAddress();
        String property = "asyncore.dispatchers." + bean + ".address";
        Throwable reason = cause.getCause();
        String where = (address != null) ? address : "(no address configured)";
        String description = "Dispatcher bean '" + bean + "' could not open its socket at " + where + ": "
                + reason.getMessage();
        if (reason instanceof BindException) {
            return new FailureAnalysis(description,
                    "Stop the process that already uses " + where + ", or configure another address with '"
                            + property + "' (a port of 0 picks a free one).",
                    cause);
        }
        return new FailureAnalysis(description,
                "Check '" + property + "': it must be 'port', 'host:port', '[ipv6]:port' or 'unix:/path' on this"
                        + " machine, and the dispatcher's own set-up code must not fail.",
                cause);
    }

}
