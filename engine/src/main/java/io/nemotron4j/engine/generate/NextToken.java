package io.nemotron4j.engine.generate;

/** Chooses the tokens of one sequence; {@link Sampler} is the one the engine uses. */
interface NextToken {

    /** Picks the next token from the logits (which it may modify). */
    int choose(float[] logits);

    /** Records a token of the sequence, prompt or generated, as context for the next choice. */
    void accept(int token);
}
