package io.nemotron4j.engine.chat;

import java.util.List;
import java.util.Objects;

/**
 * A model's answer split into text and tool calls by {@link ToolCallParser}.
 *
 * @param content the answer text with every recognised tool-call block removed, together with the whitespace
 *         around it; the whole text, unchanged, when no block was read
 * @param toolCalls the calls in the order written; their ids are {@code null}, since the model writes none
 * @param diagnostics one line per tool-call block that could not be read (and was therefore kept in
 *         {@code content}); empty when every block was read
 */
public record ParsedAnswer(String content, List<ToolCall> toolCalls, List<String> diagnostics) {

    /** Copies the lists. */
    public ParsedAnswer {
        Objects.requireNonNull(content, "content");
        toolCalls = List.copyOf(toolCalls);
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasToolCalls() {
        return !toolCalls.isEmpty();
    }
}
