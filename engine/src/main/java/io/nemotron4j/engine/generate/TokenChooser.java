package io.nemotron4j.engine.generate;

/**
 * Chooses the tokens of one sequence. The engine's own is {@link Sampler}; another can be plugged in per
 * generation for constrained decoding, or to script a model's output in tests while everything else runs for real.
 */
public interface TokenChooser {

    /** Picks the next token from the logits (which it may modify). */
    int choose(float[] logits);

    /** Records a token of the sequence, prompt or generated, as context for the next choice. */
    void accept(int token);
}
