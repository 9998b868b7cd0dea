package io.nemotron4j.engine.serve;

/**
 * How the {@link SequenceScheduler} admits and batches sequences.
 *
 * @param maxSequences the most sequences decoding together; each step decodes one token for every one of them, so
 *     this is also the largest batch. At most the model's {@code prefillChunk} (the rows one step holds)
 * @param memoryBudgetBytes the most bytes the admitted sequences may hold together: each reserves its Mamba state
 *     and the KV cache its prompt plus its token limit can grow to, so a running sequence never runs out
 * @param queueSize how many requests may wait for admission; beyond that they are refused at once
 * @param prefillTokensPerStep the most prompt tokens one step prefills, next to the decode tokens of the running
 *     sequences: smaller keeps running streams smoother while a long prompt comes in, larger admits it sooner
 * @param prefixCacheBytes the most bytes of snapshotted prefix states (Mamba + KV after a shared prompt prefix such
 *     as a system prompt) kept for reuse, least recently used dropped first; 0 turns prefix reuse off
 */
public record SchedulerOptions(int maxSequences, long memoryBudgetBytes, int queueSize, int prefillTokensPerStep,
        long prefixCacheBytes) {

    /** Sequences decoding together unless configured otherwise. */
    public static final int DEFAULT_MAX_SEQUENCES = 8;

    /** Requests that may wait unless configured otherwise. */
    public static final int DEFAULT_QUEUE_SIZE = 64;

    /** Prompt tokens per step unless configured otherwise. */
    public static final int DEFAULT_PREFILL_TOKENS_PER_STEP = 32;

    public SchedulerOptions {
        if (maxSequences < 1) {
            throw new IllegalArgumentException("maxSequences must be at least 1, got " + maxSequences);
        }
        if (memoryBudgetBytes < 1) {
            throw new IllegalArgumentException("memoryBudgetBytes must be positive, got " + memoryBudgetBytes);
        }
        if (queueSize < 0) {
            throw new IllegalArgumentException("queueSize must be 0 or more, got " + queueSize);
        }
        if (prefillTokensPerStep < 1) {
            throw new IllegalArgumentException("prefillTokensPerStep must be at least 1, got " + prefillTokensPerStep);
        }
        if (prefixCacheBytes < 0) {
            throw new IllegalArgumentException("prefixCacheBytes must be 0 or more, got " + prefixCacheBytes);
        }
    }

    /**
     * {@value #DEFAULT_MAX_SEQUENCES} sequences, half of the heap the JVM may grow to for their memory, a queue of
     * {@value #DEFAULT_QUEUE_SIZE}, {@value #DEFAULT_PREFILL_TOKENS_PER_STEP} prompt tokens per step, and an
     * eighth of the heap for prefix snapshots.
     */
    public static SchedulerOptions defaults() {
        long heap = Runtime.getRuntime().maxMemory();
        return new SchedulerOptions(DEFAULT_MAX_SEQUENCES, heap / 2, DEFAULT_QUEUE_SIZE,
                DEFAULT_PREFILL_TOKENS_PER_STEP, heap / 8);
    }

    public SchedulerOptions withMaxSequences(int v) {
        return new SchedulerOptions(v, memoryBudgetBytes, queueSize, prefillTokensPerStep, prefixCacheBytes);
    }

    public SchedulerOptions withMemoryBudgetBytes(long v) {
        return new SchedulerOptions(maxSequences, v, queueSize, prefillTokensPerStep, prefixCacheBytes);
    }

    public SchedulerOptions withQueueSize(int v) {
        return new SchedulerOptions(maxSequences, memoryBudgetBytes, v, prefillTokensPerStep, prefixCacheBytes);
    }

    public SchedulerOptions withPrefillTokensPerStep(int v) {
        return new SchedulerOptions(maxSequences, memoryBudgetBytes, queueSize, v, prefixCacheBytes);
    }

    public SchedulerOptions withPrefixCacheBytes(long v) {
        return new SchedulerOptions(maxSequences, memoryBudgetBytes, queueSize, prefillTokensPerStep, v);
    }
}
