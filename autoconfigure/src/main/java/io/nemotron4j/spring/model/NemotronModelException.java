package io.nemotron4j.spring.model;

import org.jspecify.annotations.Nullable;

/**
 * The model cannot be made ready: it is not configured, not found, not a usable Nemotron-H GGUF, or its download
 * failed. The message says what is wrong; {@link #getAction()} says what to do. At start-up Spring Boot prints
 * both (see {@link ModelFailureAnalyzer}).
 *
 * @since 0.1.0
 */
public class NemotronModelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String action;

    /**
     * Creates the exception.
     * @param message what is wrong
     * @param action what to do about it
     * @param cause the underlying failure, if any
     */
    public NemotronModelException(String message, String action, @Nullable Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    /** Creates the exception without an underlying failure. */
    public NemotronModelException(String message, String action) {
        this(message, action, null);
    }

    /** What to do about it. */
    public String getAction() {
        return this.action;
    }
}
