package io.nemotron4j.spring.governance;

/**
 * How a request ended, as the request audit records it.
 *
 * @since 0.1.0
 */
public enum Outcome {

    /** Admitted and not yet settled. */
    STARTED,
    /** Generation finished normally. */
    COMPLETED,
    /** Refused at admission; the audit row names the limit. */
    REJECTED,
    /** Generation failed with an error. */
    FAILED,
    /** The caller cancelled the request. */
    CANCELLED,
    /** The owner stopped renewing its lease (its process died); the reservation was released by the sweeper. */
    ABANDONED

}
