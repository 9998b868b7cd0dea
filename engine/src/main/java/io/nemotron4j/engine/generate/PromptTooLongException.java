package io.nemotron4j.engine.generate;

/** The rendered prompt does not fit the context, leaving no room to generate. */
public final class PromptTooLongException extends GenerationException {

    private static final long serialVersionUID = 1L;

    private final int promptTokens;
    private final int contextLength;

    public PromptTooLongException(int promptTokens, int contextLength) {
        super(String.format("prompt has %,d tokens, context is %,d: shorten the conversation", promptTokens,
                contextLength));
        this.promptTokens = promptTokens;
        this.contextLength = contextLength;
    }

    public int promptTokens() {
        return promptTokens;
    }

    public int contextLength() {
        return contextLength;
    }
}
