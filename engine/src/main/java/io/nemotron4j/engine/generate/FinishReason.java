package io.nemotron4j.engine.generate;

/** Why a generation ended. */
public enum FinishReason {
    /** The model ended its turn (end-of-turn token, EOS or a stop string) with its reasoning intact. */
    STOP,
    /** The model ended its turn after the engine cut its reasoning at the thinking budget. */
    THINKING_BUDGET,
    /** The token limit (or the end of the context) was reached. */
    LENGTH,
    /** The caller cancelled. */
    CANCELLED,
    /** Generation failed; the event carries the message. */
    ERROR
}
