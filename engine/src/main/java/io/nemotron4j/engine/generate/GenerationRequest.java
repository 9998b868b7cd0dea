package io.nemotron4j.engine.generate;

import io.nemotron4j.engine.chat.ChatMessage;
import io.nemotron4j.engine.chat.ToolDefinition;

import java.util.List;
import java.util.Objects;

/**
 * One conversation to continue.
 *
 * @param messages the conversation so far, oldest first; a trailing assistant message is continued (a prefill)
 * @param tools tools the model may call (rendered by the chat template)
 * @param options how to generate
 */
public record GenerationRequest(List<ChatMessage> messages, List<ToolDefinition> tools, GenerationOptions options) {

    public GenerationRequest {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        Objects.requireNonNull(options, "options");
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a generation needs at least one message");
        }
    }

    /** A single user message with default options. */
    public static GenerationRequest of(String userText) {
        return new GenerationRequest(List.of(ChatMessage.user(userText)), List.of(), GenerationOptions.builder().build());
    }

    public GenerationRequest withOptions(GenerationOptions o) {
        return new GenerationRequest(messages, tools, o);
    }
}
