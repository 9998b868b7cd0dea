package io.nemotron4j.engine.serve;

import java.time.Duration;

/**
 * A request refused at once because the running sequences use the memory or sequence slots and the waiting line is
 * full. Nothing was queued; trying again after {@link #retryAfter()} may succeed.
 */
public class SchedulerBusyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /** Creates the exception with a message that says why and when to try again. */
    public SchedulerBusyException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** A guess at when a slot may be free: about how long the requests ahead take to finish. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
