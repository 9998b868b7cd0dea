package io.nemotron4j.engine.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One message of a conversation.
 *
 * @param role who speaks
 * @param content the text; for an assistant message it may hold the model's reasoning as
 *         {@code <think>…</think>} followed by the answer, which is how the Nano v2 templates expect earlier turns
 * @param reasoning the assistant's reasoning kept apart from the content, or {@code null}; passed as
 *         {@code reasoning_content}, which Nemotron 3 templates read and Nano v2 templates ignore
 * @param toolCalls the calls an assistant message makes (empty for none and for other roles)
 * @param toolCallId for a tool result, the id of the call it answers; else {@code null}
 */
public record ChatMessage(Role role, String content, String reasoning, List<ToolCall> toolCalls, String toolCallId) {

    /** The speaker of a message. */
    public enum Role {
        SYSTEM, USER, ASSISTANT, TOOL;

        /** The name templates compare against: {@code system}, {@code user}, {@code assistant}, {@code tool}. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Checks the message.
     *
     * @throws IllegalArgumentException if tool calls are given for a role other than assistant, or a tool call id
     *         for a role other than tool
     */
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
            throw new IllegalArgumentException("only assistant messages make tool calls, not " + role.jsonName());
        }
        if (toolCallId != null && role != Role.TOOL) {
            throw new IllegalArgumentException("only tool messages answer a tool call, not " + role.jsonName());
        }
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content, null, List.of(), null);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content, null, List.of(), null);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content, null, List.of(), null);
    }

    /** An assistant turn that calls tools, with optional text before the calls ({@code ""} for none). */
    public static ChatMessage assistant(String content, List<ToolCall> toolCalls) {
        return new ChatMessage(Role.ASSISTANT, content, null, toolCalls, null);
    }

    /** The result of the call {@code toolCallId}, as the text the tool returned (often JSON). */
    public static ChatMessage tool(String toolCallId, String content) {
        return new ChatMessage(Role.TOOL, content, null, List.of(), toolCallId);
    }

    /** The same message with the given reasoning. */
    public ChatMessage withReasoning(String newReasoning) {
        return new ChatMessage(role, content, newReasoning, toolCalls, toolCallId);
    }

    /**
     * The shape of the reference conversation files: {@code role}, {@code content}, then {@code reasoning_content},
     * {@code tool_calls} and {@code tool_call_id} where present.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role.jsonName());
        m.put("content", content);
        if (reasoning != null) {
            m.put("reasoning_content", reasoning);
        }
        if (!toolCalls.isEmpty()) {
            List<Object> calls = new ArrayList<>();
            toolCalls.forEach(c -> calls.add(c.toJson()));
            m.put("tool_calls", calls);
        }
        if (toolCallId != null) {
            m.put("tool_call_id", toolCallId);
        }
        return m;
    }
}
