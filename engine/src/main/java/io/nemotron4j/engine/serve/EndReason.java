package io.nemotron4j.engine.serve;

/** Why the {@link SequenceScheduler} ended a {@link SequenceJob}. */
public enum EndReason {
    /** The job chose to end ({@link SequenceJob#next} returned 0). */
    FINISHED,
    /** The job asked to stop ({@link SequenceJob#cancelled()}). */
    CANCELLED,
    /** Its timeout passed, waiting or running. */
    TIMED_OUT,
    /** The scheduler was closed before the job ended. */
    SHUT_DOWN,
    /** The job or the forward pass threw. */
    FAILED
}
