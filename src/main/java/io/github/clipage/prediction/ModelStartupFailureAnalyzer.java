package io.github.clipage.prediction;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a failed model set-up as Spring Boot's "APPLICATION FAILED TO START" block. */
public class ModelStartupFailureAnalyzer extends AbstractFailureAnalyzer<ModelStartupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ModelStartupException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
