package io.nemotron4j.engine.generate;

/** Whether the model reasons before it answers. */
public enum ThinkingMode {
    /** As the conversation says ({@code /think}, {@code /no_think}); the template's default is on. */
    DEFAULT,
    /** Reasoning on, whatever the conversation says. */
    ON,
    /** Reasoning off: the prompt opens with an empty {@code <think></think>}. */
    OFF
}
