package io.nemotron4j.engine.generate;

/**
 * Enforces a reasoning budget in one pass (spec §5.3): the model may use {@code budget} reasoning tokens; after
 * that it may finish its current line within {@code grace} more, and then the engine writes the end of the
 * reasoning itself. Closing at a line end keeps the reasoning well-formed; the hard stop uses NVIDIA's own closing
 * text. Mamba states cannot be rewound, so the close is appended rather than re-prompted.
 */
final class ThinkingBudget {

    /** Closes the reasoning after a line the model has just finished. */
    static final String CLOSE_AT_LINE_END = "</think>\n\n";
    /** Closes the reasoning mid-line once the grace is spent too. */
    static final String CLOSE_HARD = ".\n</think>\n\n";

    private final int budget;
    private final int grace;
    private int used;

    ThinkingBudget(int budget, int grace) {
        this.budget = budget;
        this.grace = grace;
    }

    /**
     * Counts one reasoning token and says whether the engine must close the reasoning now.
     *
     * @param text the token's text
     * @param atCharacterBoundary whether the text so far ends on a whole character; the soft close waits for one,
     *     the hard close does not (the caller flushes the partial character first)
     * @return the text to feed to close the reasoning, or {@code null} to let the model go on
     */
    String afterToken(String text, boolean atCharacterBoundary) {
        used++;
        if (used >= budget && atCharacterBoundary && text.indexOf('\n') >= 0) {
            return CLOSE_AT_LINE_END;
        }
        if (used >= budget + grace) {
            return CLOSE_HARD;
        }
        return null;
    }

    int used() {
        return used;
    }
}
