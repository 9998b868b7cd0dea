package io.nemotron4j.spring.autoconfigure;

import java.util.List;

import io.nemotron4j.spring.chat.NemotronChatOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Default options of every chat request ({@code nemotron.chat.*}); a request's own options override them. Unset
 * values keep the built-in defaults of {@link NemotronChatOptions}.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(NemotronChatProperties.PREFIX)
public class NemotronChatProperties {

    /** The prefix of these properties. */
    public static final String PREFIX = "nemotron.chat";

    /** Most tokens generated per request, reasoning and answer together (default 2048). */
    private @Nullable Integer maxTokens;

    /** Sampling temperature; 0 picks the most likely token (default 0.6 with reasoning, 0 without). */
    private @Nullable Double temperature;

    /** Sample only from the k most likely tokens; 0 keeps all (default 0). */
    private @Nullable Integer topK;

    /** Sample from the smallest set of tokens whose probabilities reach p; 1 keeps all (default 0.95). */
    private @Nullable Double topP;

    /** Drop tokens less likely than this fraction of the most likely one; 0 keeps all (default 0). */
    private @Nullable Double minP;

    /** Divide the logits of recently seen tokens by this; 1 is off (default 1). */
    private @Nullable Double repetitionPenalty;

    /** Subtract this from the logit of every recently seen token; 0 is off (default 0). */
    private @Nullable Double presencePenalty;

    /** Subtract this times a token's recent count from its logit; 0 is off (default 0). */
    private @Nullable Double frequencyPenalty;

    /** Strings that end the answer; none of their text is returned. */
    private @Nullable List<String> stopSequences;

    /** Random seed for reproducible sampling; unset gives every request a fresh seed. */
    private @Nullable Long seed;

    /** Whether the model reasons before answering: true, false, or unset to follow /think and /no_think. */
    private @Nullable Boolean thinking;

    /** Most reasoning tokens before the engine closes the reasoning; -1 for no limit, 0 turns reasoning off. */
    private @Nullable Integer thinkingBudget;

    public @Nullable Integer getMaxTokens() {
        return this.maxTokens;
    }

    public void setMaxTokens(@Nullable Integer maxTokens) {
        this.maxTokens = maxTokens;
    }

    public @Nullable Double getTemperature() {
        return this.temperature;
    }

    public void setTemperature(@Nullable Double temperature) {
        this.temperature = temperature;
    }

    public @Nullable Integer getTopK() {
        return this.topK;
    }

    public void setTopK(@Nullable Integer topK) {
        this.topK = topK;
    }

    public @Nullable Double getTopP() {
        return this.topP;
    }

    public void setTopP(@Nullable Double topP) {
        this.topP = topP;
    }

    public @Nullable Double getMinP() {
        return this.minP;
    }

    public void setMinP(@Nullable Double minP) {
        this.minP = minP;
    }

    public @Nullable Double getRepetitionPenalty() {
        return this.repetitionPenalty;
    }

    public void setRepetitionPenalty(@Nullable Double repetitionPenalty) {
        this.repetitionPenalty = repetitionPenalty;
    }

    public @Nullable Double getPresencePenalty() {
        return this.presencePenalty;
    }

    public void setPresencePenalty(@Nullable Double presencePenalty) {
        this.presencePenalty = presencePenalty;
    }

    public @Nullable Double getFrequencyPenalty() {
        return this.frequencyPenalty;
    }

    public void setFrequencyPenalty(@Nullable Double frequencyPenalty) {
        this.frequencyPenalty = frequencyPenalty;
    }

    public @Nullable List<String> getStopSequences() {
        return this.stopSequences;
    }

    public void setStopSequences(@Nullable List<String> stopSequences) {
        this.stopSequences = stopSequences;
    }

    public @Nullable Long getSeed() {
        return this.seed;
    }

    public void setSeed(@Nullable Long seed) {
        this.seed = seed;
    }

    public @Nullable Boolean getThinking() {
        return this.thinking;
    }

    public void setThinking(@Nullable Boolean thinking) {
        this.thinking = thinking;
    }

    public @Nullable Integer getThinkingBudget() {
        return this.thinkingBudget;
    }

    public void setThinkingBudget(@Nullable Integer thinkingBudget) {
        this.thinkingBudget = thinkingBudget;
    }

    /** These defaults as options; unset properties stay unset. */
    public NemotronChatOptions toOptions() {
        return NemotronChatOptions.builder()
            .maxTokens(this.maxTokens)
            .temperature(this.temperature)
            .topK(this.topK)
            .topP(this.topP)
            .minP(this.minP)
            .repetitionPenalty(this.repetitionPenalty)
            .presencePenalty(this.presencePenalty)
            .frequencyPenalty(this.frequencyPenalty)
            .stopSequences(this.stopSequences)
            .seed(this.seed)
            .thinking(this.thinking)
            .thinkingBudget(this.thinkingBudget)
            .build();
    }
}
