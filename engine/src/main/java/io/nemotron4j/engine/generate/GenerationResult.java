package io.nemotron4j.engine.generate;

import io.nemotron4j.engine.chat.ToolCall;

import java.util.List;

/**
 * A finished generation, collected from its events.
 *
 * @param reasoning the reasoning text (empty with thinking off)
 * @param answer the answer text, without tool-call markup
 * @param toolCalls the tool calls the model made
 * @param finishReason why it ended
 * @param usage tokens and speeds
 * @param error the error message for {@link FinishReason#ERROR}, else {@code null}
 */
public record GenerationResult(String reasoning, String answer, List<ToolCall> toolCalls, FinishReason finishReason,
        Usage usage, String error) {

    public GenerationResult {
        toolCalls = List.copyOf(toolCalls);
    }
}
