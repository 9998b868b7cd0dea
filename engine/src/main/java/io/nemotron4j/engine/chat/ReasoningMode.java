package io.nemotron4j.engine.chat;

/**
 * Whether a rendered prompt leaves the model reasoning, so the generation loop knows if the first tokens it samples
 * are reasoning (to be budgeted and closed with {@code </think>}) or the answer.
 */
public enum ReasoningMode {

    /** The prompt ends inside an open {@code <think>} block: {@code …<think>\n}, or a reasoning prefill after it. */
    ON,

    /**
     * The last {@code <think>} is closed: {@code …<think></think>} (reasoning switched off), or a prefill whose
     * reasoning already ended (the thinking-budget pattern, {@code …\n</think>}).
     */
    OFF,

    /** The prompt has no {@code <think>} or {@code </think>} at all: the template does not use reasoning markers. */
    NONE;

    private static final String OPEN = "<think>";
    private static final String CLOSE = "</think>";

    /**
     * The mode a prompt ends in, judged by its last {@code <think>} and last {@code </think>}. Meant for prompts
     * rendered for generation (with a generation prompt, or continuing the final message): a template's turn
     * markers are unknown here, so a closed conversation whose last turn kept an unclosed {@code <think>} would
     * also read as {@link #ON}.
     */
    public static ReasoningMode ofPrompt(String prompt) {
        int open = prompt.lastIndexOf(OPEN);
        int close = prompt.lastIndexOf(CLOSE);
        if (open < 0 && close < 0) {
            return NONE;
        }
        return open > close ? ON : OFF;
    }
}
