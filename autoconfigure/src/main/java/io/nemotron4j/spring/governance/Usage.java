package io.nemotron4j.spring.governance;

/**
 * Tokens one request used, by type.
 *
 * @param inputTokens prompt tokens
 * @param reasoningTokens generated reasoning tokens
 * @param outputTokens generated answer tokens
 * @since 0.1.0
 */
public record Usage(long inputTokens, long reasoningTokens, long outputTokens) {

    /**
     * Checks the numbers.
     * @throws IllegalArgumentException if a count is negative
     */
    public Usage {
        if (inputTokens < 0 || reasoningTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException(
                    "token counts must be >= 0, were " + inputTokens + "/" + reasoningTokens + "/" + outputTokens);
        }
    }

    /** @return all tokens together */
    public long total() {
        return this.inputTokens + this.reasoningTokens + this.outputTokens;
    }

}
