package io.nemotron4j.engine.serve;

/**
 * A snapshot of the {@link SequenceScheduler}: what waits and runs now, how big the last step was, and counters
 * since start.
 *
 * @param queueDepth requests waiting for admission
 * @param activeSequences sequences admitted and not yet ended
 * @param lastBatchSequences sequences in the last step
 * @param lastBatchTokens tokens in the last step (decode tokens plus prefill tokens)
 * @param reservedBytes memory reserved by the active sequences
 * @param memoryBudgetBytes the budget that reservation is held to
 * @param prefixCacheBytes memory held by prefix snapshots
 * @param steps forward steps run
 * @param generatedTokens tokens chosen by the sequences' {@link SequenceJob#next} calls
 * @param prefillTokens prompt tokens fed
 * @param prefixHits prompts that started from a snapshotted prefix instead of prefilling it
 * @param finished jobs ended by their own choice
 * @param cancelled jobs ended because they asked to stop or timed out
 * @param failed jobs ended by an error
 * @param refused requests refused because the queue was full
 * @param tokensPerSecond generated tokens per second, all sequences together, over the recent steps
 * @param tokensPerSecondPerStream {@code tokensPerSecond} per decoding sequence, over the recent steps
 */
public record SchedulerMetrics(
        int queueDepth,
        int activeSequences,
        int lastBatchSequences,
        int lastBatchTokens,
        long reservedBytes,
        long memoryBudgetBytes,
        long prefixCacheBytes,
        long steps,
        long generatedTokens,
        long prefillTokens,
        long prefixHits,
        long finished,
        long cancelled,
        long failed,
        long refused,
        double tokensPerSecond,
        double tokensPerSecondPerStream) {
}
