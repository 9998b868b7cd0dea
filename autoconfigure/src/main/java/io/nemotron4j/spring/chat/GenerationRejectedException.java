package io.nemotron4j.spring.chat;

import java.time.Duration;
import java.util.Optional;

import io.nemotron4j.engine.generate.GenerationException;
import org.jspecify.annotations.Nullable;

/**
 * A request turned away because the engine's sequence slots or memory are taken and its waiting line is full (or
 * the application is shutting down). Retrying later can succeed; the auto-configured
 * {@link GenerationRejectedAdvice} answers HTTP 503 with a {@code Retry-After} header.
 *
 * @since 0.1.0
 */
public class GenerationRejectedException extends GenerationException {

    private static final long serialVersionUID = 1L;

    private final @Nullable Duration retryAfter;

    /**
     * Creates the exception.
     * @param message why, and what to change
     * @param retryAfter when trying again may succeed, or {@code null} when there is no telling
     */
    public GenerationRejectedException(String message, @Nullable Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** When trying again may succeed; empty when there is no telling (shutting down). */
    public Optional<Duration> getRetryAfter() {
        return Optional.ofNullable(this.retryAfter);
    }
}
