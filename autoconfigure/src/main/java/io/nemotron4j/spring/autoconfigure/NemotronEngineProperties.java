package io.nemotron4j.spring.autoconfigure;

import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.engine.model.EngineOptions;
import io.nemotron4j.engine.serve.SchedulerOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

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

    /** Most tokens pushed through the layers in one step; bounds scratch memory and caps max-sequences. */
    private int prefillChunk = 64;

    /** Most generations decoded together, one batched forward step per token for all of them (default 8). */
    private int maxSequences = SchedulerOptions.DEFAULT_MAX_SEQUENCES;

    /** Memory the running generations may reserve for their Mamba states and KV caches; default half the heap. */
    private @Nullable DataSize memoryBudget;

    /** Requests that may wait for memory or a sequence slot (default 64); beyond this they are refused with 503. */
    private int queueSize = SchedulerOptions.DEFAULT_QUEUE_SIZE;

    /** Most prompt tokens prefilled per step next to the running generations' tokens (default 32). */
    private int prefillTokensPerStep = SchedulerOptions.DEFAULT_PREFILL_TOKENS_PER_STEP;

    /** Memory for states snapshotted after shared prompt prefixes such as system prompts; default an eighth of the heap, 0 turns reuse off. */
    private @Nullable DataSize prefixCache;

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

    public int getMaxSequences() {
        return this.maxSequences;
    }

    public void setMaxSequences(int maxSequences) {
        this.maxSequences = maxSequences;
    }

    public @Nullable DataSize getMemoryBudget() {
        return this.memoryBudget;
    }

    public void setMemoryBudget(@Nullable DataSize memoryBudget) {
        this.memoryBudget = memoryBudget;
    }

    public int getQueueSize() {
        return this.queueSize;
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public int getPrefillTokensPerStep() {
        return this.prefillTokensPerStep;
    }

    public void setPrefillTokensPerStep(int prefillTokensPerStep) {
        this.prefillTokensPerStep = prefillTokensPerStep;
    }

    public @Nullable DataSize getPrefixCache() {
        return this.prefixCache;
    }

    public void setPrefixCache(@Nullable DataSize prefixCache) {
        this.prefixCache = prefixCache;
    }

    /** The engine options these properties describe. */
    public EngineOptions toEngineOptions() {
        EngineOptions options = EngineOptions.defaults().withPrefillChunk(this.prefillChunk);
        return (this.threads != null) ? options.withThreads(this.threads) : options;
    }

    /** The scheduling these properties describe, defaults filled in from the heap the JVM may grow to. */
    public SchedulerOptions toSchedulerOptions() {
        SchedulerOptions defaults = NemotronEngine.defaultScheduling(toEngineOptions());
        return new SchedulerOptions(this.maxSequences,
                (this.memoryBudget != null) ? this.memoryBudget.toBytes() : defaults.memoryBudgetBytes(),
                this.queueSize, this.prefillTokensPerStep,
                (this.prefixCache != null) ? this.prefixCache.toBytes() : defaults.prefixCacheBytes());
    }
}
