package io.nemotron4j.spring.governance;

import org.jspecify.annotations.Nullable;

/**
 * How an admitted request ended.
 *
 * @param usage the tokens it actually used; booked even when it failed or was cancelled, because they were spent
 * @param outcome {@link Outcome#COMPLETED}, {@link Outcome#FAILED} or {@link Outcome#CANCELLED}
 * @param finishReason the model's finish reason, if any
 * @param firstTokenMillis time to the first generated token, if any was generated
 * @param detail an error message or other note for the audit, if any
 * @param content what the audit keeps of the prompt and answer ({@link ContentRecorder#content()} under the
 * admission's {@link Admission#contentPolicy()}), or {@code null} for nothing; bounded to
 * {@value ContentRecorder#MAX_BYTES} UTF-8 bytes
 * @since 0.1.0
 */
public record Settlement(Usage usage, Outcome outcome, @Nullable String finishReason,
        @Nullable Long firstTokenMillis, @Nullable String detail, @Nullable String content) {

    /**
     * Checks the outcome and bounds the content.
     * @throws IllegalArgumentException if the outcome is not one a settlement can have
     */
    public Settlement {
        if (outcome != Outcome.COMPLETED && outcome != Outcome.FAILED && outcome != Outcome.CANCELLED) {
            throw new IllegalArgumentException("a settlement ends COMPLETED, FAILED or CANCELLED, not " + outcome);
        }
        content = ContentRecorder.bounded(content);
    }

    /**
     * A settlement that keeps no content.
     * @param usage the tokens used
     * @param outcome {@link Outcome#COMPLETED}, {@link Outcome#FAILED} or {@link Outcome#CANCELLED}
     * @param finishReason the model's finish reason, if any
     * @param firstTokenMillis time to the first generated token, if any
     * @param detail an error message or other note for the audit, if any
     */
    public Settlement(Usage usage, Outcome outcome, @Nullable String finishReason, @Nullable Long firstTokenMillis,
            @Nullable String detail) {
        this(usage, outcome, finishReason, firstTokenMillis, detail, null);
    }

    /**
     * A normal completion.
     * @param usage the tokens used
     * @param finishReason the model's finish reason
     * @return the settlement
     */
    public static Settlement completed(Usage usage, @Nullable String finishReason) {
        return new Settlement(usage, Outcome.COMPLETED, finishReason, null, null);
    }

}
