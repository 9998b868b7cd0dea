package io.nemotron4j.spring.testsupport;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import io.nemotron4j.engine.generate.TokenChooser;
import io.nemotron4j.engine.tokenizer.Tokenizer;

/**
 * Makes the model say a script: a token chooser that ignores the logits and plays back the tokens of a text. The
 * model still runs a forward pass for every token, and the engine parses reasoning and tool calls from what is
 * "said", exactly as for sampled output.
 */
public final class ScriptedChooser implements TokenChooser {

    private static final String END_OF_TURN = "<SPECIAL_12>";

    private final int[] first;

    private final boolean firstLoops;

    private final int[] afterReasoning;

    private final int closeReasoning;

    private final AtomicInteger chosen = new AtomicInteger();

    private boolean reasoningClosed;

    private int next;

    private ScriptedChooser(int[] first, boolean firstLoops, int[] afterReasoning, int closeReasoning) {
        this.first = first;
        this.firstLoops = firstLoops;
        this.afterReasoning = afterReasoning;
        this.closeReasoning = closeReasoning;
    }

    /** Says the texts (special tokens such as {@code </think>} included), then ends the turn. */
    public static ScriptedChooser says(Tokenizer tokenizer, String... texts) {
        return new ScriptedChooser(withEnd(tokenizer, encode(tokenizer, String.join("", texts))), false, null,
                closeId(tokenizer));
    }

    /** Says the text over and over and never ends its turn: for cancellation and token limits. */
    public static ScriptedChooser repeatsForever(Tokenizer tokenizer, String text) {
        return new ScriptedChooser(encode(tokenizer, text), true, null, closeId(tokenizer));
    }

    /**
     * Reasons with the text over and over, never closing the reasoning itself; once the engine closes it (the
     * thinking budget), says the answer and ends the turn.
     */
    public static ScriptedChooser reasonsUntilCut(Tokenizer tokenizer, String reasoning, String answer) {
        return new ScriptedChooser(encode(tokenizer, reasoning), true, withEnd(tokenizer, encode(tokenizer, answer)),
                closeId(tokenizer));
    }

    /** How many tokens this chooser has picked. */
    public int chosen() {
        return this.chosen.get();
    }

    @Override
    public int choose(float[] logits) {
        this.chosen.incrementAndGet();
        if (this.reasoningClosed && this.afterReasoning != null) {
            return this.afterReasoning[Math.min(this.next++, this.afterReasoning.length - 1)];
        }
        int i = this.next++;
        return this.firstLoops ? this.first[i % this.first.length] : this.first[Math.min(i, this.first.length - 1)];
    }

    @Override
    public void accept(int token) {
        // The prompt's tokens are accepted too (a thinking-off prompt ends with </think>); only output counts.
        if (this.afterReasoning != null && this.chosen.get() > 0 && token == this.closeReasoning
                && !this.reasoningClosed) {
            this.reasoningClosed = true;
            this.next = 0;
        }
    }

    private static int[] encode(Tokenizer tokenizer, String text) {
        return tokenizer.encodeWithSpecials(text);
    }

    private static int[] withEnd(Tokenizer tokenizer, int[] tokens) {
        int[] result = Arrays.copyOf(tokens, tokens.length + 1);
        result[tokens.length] = tokenizer.specialId(END_OF_TURN).orElseThrow();
        return result;
    }

    private static int closeId(Tokenizer tokenizer) {
        return tokenizer.specialId("</think>").orElseThrow();
    }
}
