package io.nemotron4j.spring.chat;

import io.nemotron4j.engine.generate.GenerationException;

/**
 * A request turned away because every generation slot is busy and the waiting line is full (or the application is
 * shutting down). Retrying later can succeed; a web layer would answer 503 or 429.
 *
 * @since 0.1.0
 */
public class GenerationRejectedException extends GenerationException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says why and what to change. */
    public GenerationRejectedException(String message) {
        super(message);
    }
}
