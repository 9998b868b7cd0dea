package io.nemotron4j.engine.model;

/**
 * How the engine runs a model on this machine.
 *
 * @param threads how many ways matrix work is split (the calling thread counts as one)
 * @param prefillChunk the most tokens pushed through the layers together; longer prompts go in chunks of this
 *     size, which bounds the scratch memory at about {@code prefillChunk × (Mamba in-projection + MLP width)} floats
 */
public record EngineOptions(int threads, int prefillChunk) {

    /** Beyond this a chunk gains nothing and its scratch (chunk × vocabulary logits) nears the array limit. */
    public static final int MAX_PREFILL_CHUNK = 8192;

    public EngineOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (prefillChunk < 1 || prefillChunk > MAX_PREFILL_CHUNK) {
            throw new IllegalArgumentException(
                    "prefillChunk must be between 1 and " + MAX_PREFILL_CHUNK + ", got " + prefillChunk);
        }
    }

    /** One thread per available core, prompts in chunks of 64 tokens. */
    public static EngineOptions defaults() {
        return new EngineOptions(Runtime.getRuntime().availableProcessors(), 64);
    }

    public EngineOptions withThreads(int threads) {
        return new EngineOptions(threads, prefillChunk);
    }

    public EngineOptions withPrefillChunk(int prefillChunk) {
        return new EngineOptions(threads, prefillChunk);
    }
}
