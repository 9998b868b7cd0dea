package io.nemotron4j.engine.generate;

/**
 * What a generation consumed and how fast it ran.
 *
 * @param promptTokens tokens of the rendered prompt
 * @param reasoningTokens tokens the model generated inside its reasoning (not the closing text the engine may insert)
 * @param answerTokens generated tokens after the reasoning
 * @param timeToFirstTokenMillis from submission to the first generated token
 * @param prefillTokensPerSecond prompt tokens processed per second
 * @param decodeTokensPerSecond generated tokens per second after the first
 */
public record Usage(
        int promptTokens,
        int reasoningTokens,
        int answerTokens,
        double timeToFirstTokenMillis,
        double prefillTokensPerSecond,
        double decodeTokensPerSecond) {

    /** Reasoning and answer tokens together. */
    public int generatedTokens() {
        return reasoningTokens + answerTokens;
    }

    /** Prompt and generated tokens together. */
    public int totalTokens() {
        return promptTokens + generatedTokens();
    }
}
