package io.nemotron4j.engine.generate;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Options of one generation. Build with {@link #builder()}; every setting has a sane default.
 *
 * @param maxTokens the most tokens to generate, reasoning and answer together
 * @param sampling how tokens are chosen
 * @param stop strings that end the answer; none of their text is returned
 * @param thinking whether the model reasons first
 * @param thinkingBudget the most reasoning tokens before the engine closes the reasoning itself; -1 for no limit,
 *     0 behaves as thinking off
 * @param thinkingGrace once the budget is spent, how many more tokens the model may use to finish its line
 * @param priority a hint for the scheduler: among waiting requests, higher goes first; equal ones in arrival order
 * @param timeout how long the generation may wait and run together before it is cancelled; {@link Duration#ZERO}
 *     for no limit
 */
public record GenerationOptions(
        int maxTokens,
        SamplingOptions sampling,
        List<String> stop,
        ThinkingMode thinking,
        int thinkingBudget,
        int thinkingGrace,
        int priority,
        Duration timeout) {

    public static final int UNLIMITED = -1;
    public static final int DEFAULT_MAX_TOKENS = 2048;
    public static final int DEFAULT_THINKING_GRACE = 32;

    public GenerationOptions {
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(thinking, "thinking");
        stop = List.copyOf(stop);
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, got " + maxTokens);
        }
        if (thinkingBudget < UNLIMITED) {
            throw new IllegalArgumentException("thinkingBudget must be -1 (no limit) or 0 or more, got " + thinkingBudget);
        }
        if (thinkingGrace < 0) {
            throw new IllegalArgumentException("thinkingGrace must be 0 or more, got " + thinkingGrace);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be zero (no limit) or positive, got " + timeout);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().maxTokens(maxTokens).sampling(sampling).stop(stop).thinking(thinking)
                .thinkingBudget(thinkingBudget).thinkingGrace(thinkingGrace).priority(priority).timeout(timeout);
    }

    /** Whether reasoning is bounded. */
    public boolean hasThinkingBudget() {
        return thinkingBudget != UNLIMITED;
    }

    /** Whether the generation is cancelled after {@link #timeout()}. */
    public boolean hasTimeout() {
        return !timeout.isZero();
    }

    /**
     * Builder with the defaults: 2048 tokens, greedy, thinking as the conversation says, no budget, grace 32,
     * priority 0, no timeout.
     */
    public static final class Builder {
        private int maxTokens = DEFAULT_MAX_TOKENS;
        private SamplingOptions sampling = SamplingOptions.greedy();
        private List<String> stop = List.of();
        private ThinkingMode thinking = ThinkingMode.DEFAULT;
        private int thinkingBudget = UNLIMITED;
        private int thinkingGrace = DEFAULT_THINKING_GRACE;
        private int priority;
        private Duration timeout = Duration.ZERO;

        private Builder() {
        }

        public Builder maxTokens(int v) {
            maxTokens = v;
            return this;
        }

        public Builder sampling(SamplingOptions v) {
            sampling = v;
            return this;
        }

        public Builder stop(List<String> v) {
            stop = v;
            return this;
        }

        public Builder thinking(ThinkingMode v) {
            thinking = v;
            return this;
        }

        public Builder thinkingBudget(int v) {
            thinkingBudget = v;
            return this;
        }

        public Builder thinkingGrace(int v) {
            thinkingGrace = v;
            return this;
        }

        public Builder priority(int v) {
            priority = v;
            return this;
        }

        public Builder timeout(Duration v) {
            timeout = v;
            return this;
        }

        public GenerationOptions build() {
            return new GenerationOptions(maxTokens, sampling, stop, thinking, thinkingBudget, thinkingGrace, priority,
                    timeout);
        }
    }
}
