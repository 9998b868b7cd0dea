package io.nemotron4j.engine.generate;

import java.util.concurrent.CompletableFuture;

/** A generation in progress. */
public interface Generation {

    /** Asks the generation to stop; it ends within one token with {@link FinishReason#CANCELLED}. */
    void cancel();

    /** Completes with the final event once the generation has ended, whatever the reason. */
    CompletableFuture<GenerationEvent.Finished> completion();
}
