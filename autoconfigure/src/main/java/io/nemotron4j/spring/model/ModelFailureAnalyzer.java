package io.nemotron4j.spring.model;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link NemotronModelException} that stops start-up into Spring Boot's "APPLICATION FAILED TO START" report:
 * what is wrong with the model, and what to do, instead of a stack trace through bean creation.
 *
 * @since 0.1.0
 */
public class ModelFailureAnalyzer extends AbstractFailureAnalyzer<NemotronModelException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NemotronModelException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
    }
}
