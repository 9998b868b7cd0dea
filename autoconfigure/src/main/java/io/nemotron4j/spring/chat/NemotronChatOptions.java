package io.nemotron4j.spring.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.DefaultToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;

/**
 * Options of a chat request to a Nemotron-H model: Spring AI's portable options, tools, and what the engine adds
 * ({@code thinking}, {@code thinkingBudget}, {@code minP}, {@code repetitionPenalty}, {@code seed}).
 *
 * <p>Immutable; build with {@link #builder()}, change a copy with {@link #mutate()}. A value left {@code null}
 * means "not set here": the model's defaults (from the {@code nemotron.chat.*} properties) apply.
 *
 * @since 0.1.0
 */
public final class NemotronChatOptions extends DefaultToolCallingChatOptions {

    /**
     * Sampling temperature when none is set and the model reasons: NVIDIA's recommendation for Nemotron Nano v2.
     * With reasoning switched off the default is greedy decoding (temperature 0), as NVIDIA advises.
     */
    public static final double DEFAULT_TEMPERATURE = 0.6;

    /** Top-p when none is set: NVIDIA's recommendation for Nemotron Nano v2 with reasoning. */
    public static final double DEFAULT_TOP_P = 0.95;

    /** The most tokens generated (reasoning and answer together) when no limit is set. */
    public static final int DEFAULT_MAX_TOKENS = 2048;

    private final @Nullable Boolean thinking;

    private final @Nullable Integer thinkingBudget;

    private final @Nullable Double minP;

    private final @Nullable Double repetitionPenalty;

    private final @Nullable Long seed;

    private NemotronChatOptions(@Nullable List<ToolCallback> toolCallbacks, @Nullable Map<String, Object> toolContext,
            @Nullable String model, @Nullable Double frequencyPenalty, @Nullable Integer maxTokens,
            @Nullable Double presencePenalty, @Nullable List<String> stopSequences, @Nullable Double temperature,
            @Nullable Integer topK, @Nullable Double topP, @Nullable Boolean thinking, @Nullable Integer thinkingBudget,
            @Nullable Double minP, @Nullable Double repetitionPenalty, @Nullable Long seed) {
        super(toolCallbacks, toolContext, model, frequencyPenalty, maxTokens, presencePenalty, stopSequences,
                temperature, topK, topP);
        this.thinking = thinking;
        this.thinkingBudget = thinkingBudget;
        this.minP = minP;
        this.repetitionPenalty = repetitionPenalty;
        this.seed = seed;
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether the model reasons before it answers: {@code true} on, {@code false} off, {@code null} as the
     * conversation says ({@code /think} or {@code /no_think} in the system prompt; the chat template's default is on).
     */
    public @Nullable Boolean getThinking() {
        return this.thinking;
    }

    /**
     * The most reasoning tokens before the engine closes the reasoning and the model must answer; {@code -1} or
     * {@code null} for no limit, {@code 0} turns reasoning off.
     */
    public @Nullable Integer getThinkingBudget() {
        return this.thinkingBudget;
    }

    /** Drop tokens less likely than this fraction of the most likely one; 0 keeps all. */
    public @Nullable Double getMinP() {
        return this.minP;
    }

    /** Divides the logits of recently seen tokens (multiplies negative ones); 1 is off. */
    public @Nullable Double getRepetitionPenalty() {
        return this.repetitionPenalty;
    }

    /** Random seed: the same seed, model and input give the same output; {@code null} for a fresh seed per request. */
    public @Nullable Long getSeed() {
        return this.seed;
    }

    @Override
    public Builder mutate() {
        return builder().model(getModel())
            .frequencyPenalty(getFrequencyPenalty())
            .maxTokens(getMaxTokens())
            .presencePenalty(getPresencePenalty())
            .stopSequences(getStopSequences())
            .temperature(getTemperature())
            .topK(getTopK())
            .topP(getTopP())
            .toolCallbacks(getToolCallbacks())
            .toolContext(getToolContext())
            .thinking(this.thinking)
            .thinkingBudget(this.thinkingBudget)
            .minP(this.minP)
            .repetitionPenalty(this.repetitionPenalty)
            .seed(this.seed);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!super.equals(o)) {
            return false;
        }
        NemotronChatOptions that = (NemotronChatOptions) o;
        return Objects.equals(this.thinking, that.thinking) && Objects.equals(this.thinkingBudget, that.thinkingBudget)
                && Objects.equals(this.minP, that.minP)
                && Objects.equals(this.repetitionPenalty, that.repetitionPenalty)
                && Objects.equals(this.seed, that.seed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), this.thinking, this.thinkingBudget, this.minP, this.repetitionPenalty,
                this.seed);
    }

    @Override
    public String toString() {
        return "NemotronChatOptions{model=" + getModel() + ", maxTokens=" + getMaxTokens() + ", temperature="
                + getTemperature() + ", topK=" + getTopK() + ", topP=" + getTopP() + ", minP=" + this.minP
                + ", repetitionPenalty=" + this.repetitionPenalty + ", presencePenalty=" + getPresencePenalty()
                + ", frequencyPenalty=" + getFrequencyPenalty() + ", stopSequences=" + getStopSequences()
                + ", seed=" + this.seed + ", thinking=" + this.thinking + ", thinkingBudget=" + this.thinkingBudget
                + ", tools=" + (getToolCallbacks() == null ? 0 : getToolCallbacks().size()) + "}";
    }

    /**
     * Builds {@link NemotronChatOptions}. Besides the setters, {@link #combineWith} merges another builder (as
     * {@code ChatClient} does) and {@link #mergeFrom} merges built options of any type.
     */
    public static final class Builder extends DefaultToolCallingChatOptions.Builder<Builder> {

        private @Nullable Boolean thinking;

        private @Nullable Integer thinkingBudget;

        private @Nullable Double minP;

        private @Nullable Double repetitionPenalty;

        private @Nullable Long seed;

        private Builder() {
        }

        /** Reasoning on ({@code true}), off ({@code false}) or as the conversation says ({@code null}). */
        public Builder thinking(@Nullable Boolean thinking) {
            this.thinking = thinking;
            return this;
        }

        /** The most reasoning tokens; {@code -1} or {@code null} for no limit, {@code 0} for reasoning off. */
        public Builder thinkingBudget(@Nullable Integer thinkingBudget) {
            this.thinkingBudget = thinkingBudget;
            return this;
        }

        /** Min-p filter, in [0, 1); 0 is off. */
        public Builder minP(@Nullable Double minP) {
            this.minP = minP;
            return this;
        }

        /** Repetition penalty, positive; 1 is off. */
        public Builder repetitionPenalty(@Nullable Double repetitionPenalty) {
            this.repetitionPenalty = repetitionPenalty;
            return this;
        }

        /** Random seed for reproducible sampling. */
        public Builder seed(@Nullable Long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Takes every non-null value of {@code other}, including the Nemotron ones when it is a Nemotron builder.
         * As in Spring AI's builders, stop sequences and tool callbacks are appended and tool context merged.
         */
        @Override
        public Builder combineWith(ChatOptions.Builder<?> other) {
            super.combineWith(other);
            if (other instanceof Builder that) {
                takeNemotronValues(that.thinking, that.thinkingBudget, that.minP, that.repetitionPenalty, that.seed);
            }
            return this;
        }

        /**
         * Takes every non-null value of built options of any {@link ChatOptions} type: the portable values always,
         * tools when they are {@link ToolCallingChatOptions}, and the Nemotron values when they are
         * {@link NemotronChatOptions}. Unlike {@link #combineWith}, lists replace rather than append, so merging the
         * same options twice changes nothing; tool context maps are merged.
         */
        public Builder mergeFrom(@Nullable ChatOptions other) {
            if (other == null) {
                return this;
            }
            if (other.getModel() != null) {
                this.model = other.getModel();
            }
            if (other.getFrequencyPenalty() != null) {
                this.frequencyPenalty = other.getFrequencyPenalty();
            }
            if (other.getMaxTokens() != null) {
                this.maxTokens = other.getMaxTokens();
            }
            if (other.getPresencePenalty() != null) {
                this.presencePenalty = other.getPresencePenalty();
            }
            if (other.getStopSequences() != null) {
                this.stopSequences = new ArrayList<>(other.getStopSequences());
            }
            if (other.getTemperature() != null) {
                this.temperature = other.getTemperature();
            }
            if (other.getTopK() != null) {
                this.topK = other.getTopK();
            }
            if (other.getTopP() != null) {
                this.topP = other.getTopP();
            }
            if (other instanceof ToolCallingChatOptions tools) {
                if (tools.getToolCallbacks() != null && !tools.getToolCallbacks().isEmpty()) {
                    this.toolCallbacks = new ArrayList<>(tools.getToolCallbacks());
                }
                if (tools.getToolContext() != null) {
                    Map<String, Object> merged = this.toolContext == null ? new HashMap<>()
                            : new HashMap<>(this.toolContext);
                    merged.putAll(tools.getToolContext());
                    this.toolContext = merged;
                }
            }
            if (other instanceof NemotronChatOptions n) {
                takeNemotronValues(n.thinking, n.thinkingBudget, n.minP, n.repetitionPenalty, n.seed);
            }
            return this;
        }

        private void takeNemotronValues(@Nullable Boolean thinking, @Nullable Integer thinkingBudget,
                @Nullable Double minP, @Nullable Double repetitionPenalty, @Nullable Long seed) {
            if (thinking != null) {
                this.thinking = thinking;
            }
            if (thinkingBudget != null) {
                this.thinkingBudget = thinkingBudget;
            }
            if (minP != null) {
                this.minP = minP;
            }
            if (repetitionPenalty != null) {
                this.repetitionPenalty = repetitionPenalty;
            }
            if (seed != null) {
                this.seed = seed;
            }
        }

        @Override
        public NemotronChatOptions build() {
            // Built here rather than in a constructor taking the builder: the inherited builder fields are protected
            // and so not readable from the options class.
            return new NemotronChatOptions(this.toolCallbacks, this.toolContext, this.model, this.frequencyPenalty,
                    this.maxTokens, this.presencePenalty, this.stopSequences, this.temperature, this.topK, this.topP,
                    this.thinking, this.thinkingBudget, this.minP, this.repetitionPenalty, this.seed);
        }
    }
}
