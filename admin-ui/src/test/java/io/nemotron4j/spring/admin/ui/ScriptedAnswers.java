package io.nemotron4j.spring.admin.ui;

import java.util.Arrays;

import io.nemotron4j.engine.generate.GenerationRequest;
import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.engine.generate.ThinkingMode;
import io.nemotron4j.engine.generate.TokenChooser;
import io.nemotron4j.spring.chat.TokenChooserFactory;

/**
 * What the test model says: its weights are random, so it would reason and answer gibberish; here it reasons
 * {@link #REASONING} (when thinking is on) and answers {@link #ANSWER}, token by token through the real model,
 * tokenizer, chat template and generation loop, so the browser sees reasoning and answer stream apart.
 */
final class ScriptedAnswers implements TokenChooserFactory {

    /** The reasoning the model streams before its answer. */
    static final String REASONING = "The user wants the sky's colour. Rayleigh scattering favours short wavelengths.";

    /** The answer. */
    static final String ANSWER = "The sky is blue.";

    private final NemotronEngine engine;

    ScriptedAnswers(NemotronEngine engine) {
        this.engine = engine;
    }

    @Override
    public TokenChooser create(GenerationRequest request) {
        boolean reasons = request.options().thinking() != ThinkingMode.OFF;
        String text = (reasons ? REASONING + "\n</think>\n\n" : "") + ANSWER;
        int[] said = this.engine.tokenizer().encodeWithSpecials(text);
        int[] tokens = Arrays.copyOf(said, said.length + 1);
        tokens[said.length] = this.engine.tokenizer().specialId("<SPECIAL_12>").orElseThrow();
        return new TokenChooser() {

            private int next;

            @Override
            public int choose(float[] logits) {
                return tokens[Math.min(this.next++, tokens.length - 1)];
            }

            @Override
            public void accept(int token) {
                // A script needs no context.
            }

        };
    }

}
