package io.nemotron4j.spring.autoconfigure;

import io.nemotron4j.engine.model.EngineOptions;
import io.nemotron4j.spring.chat.GenerationScheduler;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the engine runs on this machine and how many generations it takes at once ({@code nemotron.engine.*}).
 *
 * @since 0.1.0
 */
@ConfigurationProperties(NemotronEngineProperties.PREFIX)
public class NemotronEngineProperties {

    /** The prefix of these properties. */
    public static final String PREFIX = "nemotron.engine";

    /** Threads that share the matrix work of a forward pass; defaults to the number of available cores. */
    private @Nullable Integer threads;

    /** Most prompt tokens pushed through the layers together; bounds the scratch memory of long prompts. */
    private int prefillChunk = 64;

    /** Generations that may run at once (default 4); they take turns token by token, later requests wait in line. */
    private int maxConcurrentGenerations = GenerationScheduler.DEFAULT_MAX_CONCURRENT;

    /** Requests that may wait for a free generation slot (default 64); beyond this new requests are rejected. */
    private int maxQueuedRequests = GenerationScheduler.DEFAULT_MAX_QUEUED;

    public @Nullable Integer getThreads() {
        return this.threads;
    }

    public void setThreads(@Nullable Integer threads) {
        this.threads = threads;
    }

    public int getPrefillChunk() {
        return this.prefillChunk;
    }

    public void setPrefillChunk(int prefillChunk) {
        this.prefillChunk = prefillChunk;
    }

    public int getMaxConcurrentGenerations() {
        return this.maxConcurrentGenerations;
    }

    public void setMaxConcurrentGenerations(int maxConcurrentGenerations) {
        this.maxConcurrentGenerations = maxConcurrentGenerations;
    }

    public int getMaxQueuedRequests() {
        return this.maxQueuedRequests;
    }

    public void setMaxQueuedRequests(int maxQueuedRequests) {
        this.maxQueuedRequests = maxQueuedRequests;
    }

    /** The engine options these properties describe. */
    public EngineOptions toEngineOptions() {
        EngineOptions options = EngineOptions.defaults().withPrefillChunk(this.prefillChunk);
        return (this.threads != null) ? options.withThreads(this.threads) : options;
    }
}
