package io.nemotron4j.spring.chat;

import java.util.ArrayList;
import java.util.List;

import io.nemotron4j.engine.chat.ChatMessage;
import io.nemotron4j.engine.chat.ToolCall;
import io.nemotron4j.engine.chat.ToolDefinition;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.tool.ToolCallback;

/**
 * Turns Spring AI messages and tool callbacks into the engine's conversation and tool definitions.
 */
final class MessageConverter {

    private MessageConverter() {
    }

    /**
     * The conversation as the engine's chat template reads it. An assistant turn keeps its tool calls (with their
     * ids) and its reasoning (from {@link NemotronChatMetadata#REASONING_CONTENT}), which Nemotron 3 templates read
     * and Nano v2 templates drop as NVIDIA's own template does; a tool response message becomes one tool turn per
     * response.
     * @throws IllegalArgumentException for a message the model cannot read (media attachments)
     */
    static List<ChatMessage> toEngine(List<Message> messages) {
        List<ChatMessage> result = new ArrayList<>(messages.size());
        for (Message message : messages) {
            switch (message) {
                case SystemMessage system -> result.add(ChatMessage.system(text(system.getText())));
                case UserMessage user -> {
                    if (!user.getMedia().isEmpty()) {
                        // Dropping them silently would make the model answer about something it never saw.
                        throw new IllegalArgumentException("Nemotron-H models read text only, but a user message "
                                + "carries " + user.getMedia().size() + " media attachment(s); remove them");
                    }
                    result.add(ChatMessage.user(text(user.getText())));
                }
                case AssistantMessage assistant -> result.add(assistant(assistant));
                case ToolResponseMessage tool -> {
                    for (ToolResponseMessage.ToolResponse response : tool.getResponses()) {
                        result.add(ChatMessage.tool(response.id(), text(response.responseData())));
                    }
                }
                default -> throw new IllegalArgumentException(
                        "unsupported message type " + message.getMessageType() + " (" + message.getClass().getName()
                                + ")");
            }
        }
        return result;
    }

    private static ChatMessage assistant(AssistantMessage message) {
        List<ToolCall> calls = new ArrayList<>(message.getToolCalls().size());
        for (AssistantMessage.ToolCall call : message.getToolCalls()) {
            String arguments = (call.arguments() == null || call.arguments().isBlank()) ? "{}" : call.arguments();
            calls.add(new ToolCall(call.id(), call.name(), arguments));
        }
        ChatMessage converted = ChatMessage.assistant(text(message.getText()), calls);
        String reasoning = NemotronChatMetadata.reasoningOf(message);
        return reasoning.isEmpty() ? converted : converted.withReasoning(reasoning);
    }

    /** The tools offered to the model, in the order given. */
    static List<ToolDefinition> toolDefinitions(@Nullable List<ToolCallback> callbacks) {
        if (callbacks == null || callbacks.isEmpty()) {
            return List.of();
        }
        List<ToolDefinition> result = new ArrayList<>(callbacks.size());
        for (ToolCallback callback : callbacks) {
            org.springframework.ai.tool.definition.ToolDefinition definition = callback.getToolDefinition();
            result.add(new ToolDefinition(definition.name(), definition.description(), definition.inputSchema()));
        }
        return result;
    }

    private static String text(@Nullable String text) {
        return text == null ? "" : text;
    }
}
