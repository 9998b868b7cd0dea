package io.nemotron4j.spring.chat;

/**
 * A snapshot of {@link GenerationScheduler}'s counters since the application started.
 *
 * @param activeGenerations generations running in the engine now
 * @param queuedRequests requests waiting for a free slot now
 * @param maxConcurrentGenerations how many generations may run at once
 * @param maxQueuedRequests how many requests may wait
 * @param completedGenerations generations that ended, whatever the reason
 * @param rejectedRequests requests turned away because the waiting line was full
 * @param promptTokens prompt tokens processed
 * @param reasoningTokens tokens generated inside reasoning
 * @param answerTokens tokens generated after reasoning
 * @param lastDecodeTokensPerSecond the decode speed of the latest generation that decoded (0 before the first)
 * @param averageDecodeTokensPerSecond the mean decode speed over all generations that decoded (0 before the first)
 * @since 0.1.0
 */
public record GenerationStatistics(int activeGenerations, int queuedRequests, int maxConcurrentGenerations,
        int maxQueuedRequests, long completedGenerations, long rejectedRequests, long promptTokens,
        long reasoningTokens, long answerTokens, double lastDecodeTokensPerSecond,
        double averageDecodeTokensPerSecond) {

    /** Reasoning and answer tokens together. */
    public long generatedTokens() {
        return this.reasoningTokens + this.answerTokens;
    }
}
