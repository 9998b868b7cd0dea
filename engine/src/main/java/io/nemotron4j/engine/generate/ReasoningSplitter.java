package io.nemotron4j.engine.generate;

/**
 * Splits the model's streamed text into reasoning and answer at {@code </think>}, which may arrive over several
 * tokens. The whitespace around the tag ({@code "…\n</think>\n\n"}) belongs to neither side: trailing whitespace of
 * the reasoning is held until more reasoning text follows, and the answer starts at its first non-blank character.
 */
final class ReasoningSplitter {

    static final String CLOSE = "</think>";

    /** Receives the two streams. */
    interface Sink {
        void reasoning(String text);

        void answer(String text);
    }

    private final Sink sink;
    private final StringBuilder held = new StringBuilder();
    private boolean thinking;
    private boolean answerStarted;

    /** @param thinking whether the prompt left the model inside its reasoning */
    ReasoningSplitter(boolean thinking, Sink sink) {
        this.thinking = thinking;
        this.sink = sink;
    }

    boolean thinking() {
        return thinking;
    }

    /** Routes the next piece of decoded text. */
    void accept(String text) {
        if (!thinking) {
            answer(text);
            return;
        }
        held.append(text);
        int close = held.indexOf(CLOSE);
        if (close >= 0) {
            String rest = held.substring(close + CLOSE.length());
            emitReasoning(held.substring(0, close), true);
            held.setLength(0);
            thinking = false;
            answer(rest);
            return;
        }
        // Keep back a tail that may still become "</think>", and trailing whitespace that may precede it.
        int keep = partialCloseLength();
        int end = held.length() - keep;
        while (end > 0 && Character.isWhitespace(held.charAt(end - 1))) {
            end--;
        }
        if (end > 0) {
            emitReasoning(held.substring(0, end), false);
            held.delete(0, end);
        }
    }

    /** Ends the reasoning without the model's own close tag (the engine closed it, or generation ended). */
    void closeReasoning() {
        if (thinking) {
            emitReasoning(held.toString(), true);
            held.setLength(0);
            thinking = false;
        }
    }

    private void emitReasoning(String text, boolean last) {
        String out = last ? text.stripTrailing() : text;
        if (!out.isEmpty()) {
            sink.reasoning(out);
        }
    }

    private void answer(String text) {
        String out = answerStarted ? text : text.stripLeading();
        if (!out.isEmpty()) {
            answerStarted = true;
            sink.answer(out);
        }
    }

    private int partialCloseLength() {
        for (int len = Math.min(CLOSE.length() - 1, held.length()); len > 0; len--) {
            if (StopStrings.tailStartsWith(held, len, CLOSE)) {
                return len;
            }
        }
        return 0;
    }
}
