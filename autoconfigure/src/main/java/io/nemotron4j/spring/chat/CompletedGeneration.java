package io.nemotron4j.spring.chat;

import java.time.Duration;
import java.util.Optional;

import io.nemotron4j.engine.generate.FinishReason;
import io.nemotron4j.engine.generate.Usage;

/**
 * What {@link GenerationScheduler} reports about each generation that ran: how it ended, the engine's usage record
 * and how long it waited for a slot.
 *
 * @param finishReason why it ended
 * @param usage tokens and speeds as the engine measured them
 * @param queueTime how long the request waited before the engine started it
 * @since 0.1.0
 */
public record CompletedGeneration(FinishReason finishReason, Usage usage, Duration queueTime) {

    /** From the request to the first generated token, waiting included; empty when no token was generated. */
    public Optional<Duration> timeToFirstToken() {
        if (this.usage.generatedTokens() == 0) {
            return Optional.empty();
        }
        // The engine measures from submission, so its figure already includes the wait for admission.
        return Optional.of(Duration.ofNanos(Math.round(this.usage.timeToFirstTokenMillis() * 1_000_000d)));
    }

    /**
     * The mean time between generated tokens after the first (the inverse of the decode rate); empty when fewer than
     * two tokens were generated.
     */
    public Optional<Duration> timePerOutputToken() {
        double rate = this.usage.decodeTokensPerSecond();
        if (this.usage.generatedTokens() < 2 || !(rate > 0)) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(Math.round(1e9 / rate)));
    }
}
