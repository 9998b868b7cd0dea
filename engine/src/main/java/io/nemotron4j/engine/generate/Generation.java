package io.nemotron4j.engine.generate;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A generation in progress. */
public interface Generation {

    /**
     * Asks the generation to stop; it ends with {@link FinishReason#CANCELLED} within one step of the scheduler
     * (at once in scheduler time when it is still waiting), and its memory is freed then.
     */
    void cancel();

    /** Completes with the final event once the generation has ended, whatever the reason. */
    CompletableFuture<GenerationEvent.Finished> completion();

    /**
     * How long the generation waited for admission (memory and a sequence slot); up to now while it still waits,
     * and all its life if it ended without starting.
     */
    Duration queueTime();
}
