package io.nemotron4j.engine.generate;

import io.nemotron4j.engine.chat.ToolCall;

/** What a running generation reports, in order: deltas and tool calls, then exactly one {@link Finished}. */
public sealed interface GenerationEvent {

    /** More of the model's reasoning (the text inside {@code <think>…</think>}, tags excluded). */
    record ReasoningDelta(String text) implements GenerationEvent {
    }

    /** More of the answer. Never contains reasoning, tool-call markup or a stop string. */
    record AnswerDelta(String text) implements GenerationEvent {
    }

    /** A tool call the model made, parsed from its output. */
    record ToolCallRequested(ToolCall call) implements GenerationEvent {
    }

    /**
     * The end of the generation.
     *
     * @param reason why it ended
     * @param usage tokens and speeds
     * @param error what went wrong, for {@link FinishReason#ERROR}; otherwise {@code null}
     */
    record Finished(FinishReason reason, Usage usage, String error) implements GenerationEvent {
    }
}
