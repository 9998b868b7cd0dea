package io.nemotron4j.samples.chat;

import java.util.Arrays;

import io.nemotron4j.engine.chat.ChatMessage;
import io.nemotron4j.engine.generate.GenerationRequest;
import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.engine.generate.ThinkingMode;
import io.nemotron4j.engine.generate.TokenChooser;
import io.nemotron4j.spring.chat.TokenChooserFactory;

/**
 * What the test model says. Its weights are random, so left alone it produces gibberish (which the tests also use);
 * for the conversations below it follows a script instead, as a real Nano-9B-v2 would answer, while the model,
 * tokenizer, chat template, generation loop, scheduler and the whole Spring stack run for real.
 *
 * <ul>
 * <li>a tool result last: answers from it;</li>
 * <li>"time" with tools offered: calls {@code currentDateTime} for Asia/Tokyo;</li>
 * <li>"ponder": reasons on and on until the thinking budget closes the reasoning, then answers "Forty-two.";</li>
 * <li>"hello": greets back;</li>
 * <li>anything else: the engine samples.</li>
 * </ul>
 */
final class ScriptedModel implements TokenChooserFactory {

    private final NemotronEngine engine;

    ScriptedModel(NemotronEngine engine) {
        this.engine = engine;
    }

    @Override
    public TokenChooser create(GenerationRequest request) {
        ChatMessage last = request.messages().getLast();
        boolean reasons = request.options().thinking() != ThinkingMode.OFF;
        if (last.role() == ChatMessage.Role.TOOL) {
            return says(think(reasons, "Reading the clock.") + "The clock says " + last.content().replace("\"", "")
                    + ".");
        }
        String text = last.content();
        if (text.contains("time") && !request.tools().isEmpty()) {
            return says(think(reasons, "I need the clock.")
                    + "<TOOLCALL>[{\"name\": \"currentDateTime\", \"arguments\": {\"timeZone\": \"Asia/Tokyo\"}}]</TOOLCALL>");
        }
        if (text.contains("ponder")) {
            return reasonsUntilCut("hmm ", "Forty-two.");
        }
        if (text.contains("hello")) {
            return says(think(reasons, "The user greets me.") + "Hello from Nemotron.");
        }
        return null;
    }

    private static String think(boolean reasons, String reasoning) {
        return reasons ? reasoning + "\n</think>\n\n" : "";
    }

    private TokenChooser says(String text) {
        int[] tokens = withEnd(this.engine.tokenizer().encodeWithSpecials(text));
        return new Playback(tokens, null, -1);
    }

    private TokenChooser reasonsUntilCut(String reasoning, String answer) {
        return new Playback(this.engine.tokenizer().encodeWithSpecials(reasoning),
                withEnd(this.engine.tokenizer().encodeWithSpecials(answer)),
                this.engine.tokenizer().specialId("</think>").orElseThrow());
    }

    private int[] withEnd(int[] tokens) {
        int[] result = Arrays.copyOf(tokens, tokens.length + 1);
        result[tokens.length] = this.engine.tokenizer().specialId("<SPECIAL_12>").orElseThrow();
        return result;
    }

    /** Plays {@code first} (over and over when an answer follows), then {@code answer} once the reasoning is closed. */
    private static final class Playback implements TokenChooser {

        private final int[] first;

        private final int[] answer;

        private final int close;

        private boolean started;

        private boolean answering;

        private int next;

        Playback(int[] first, int[] answer, int close) {
            this.first = first;
            this.answer = answer;
            this.close = close;
        }

        @Override
        public int choose(float[] logits) {
            this.started = true;
            if (this.answering) {
                return this.answer[Math.min(this.next++, this.answer.length - 1)];
            }
            int i = this.next++;
            return (this.answer != null) ? this.first[i % this.first.length]
                    : this.first[Math.min(i, this.first.length - 1)];
        }

        @Override
        public void accept(int token) {
            // Only what the model says counts, not the prompt (a thinking-off prompt ends with </think>).
            if (this.started && this.answer != null && !this.answering && token == this.close) {
                this.answering = true;
                this.next = 0;
            }
        }
    }
}
