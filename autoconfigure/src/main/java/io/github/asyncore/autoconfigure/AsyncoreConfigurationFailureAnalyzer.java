package io.github.asyncore.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a {@link AsyncoreConfigurationException} at start-up, instead of a stack trace. */
class AsyncoreConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<AsyncoreConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AsyncoreConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
    }

}
