package io.nemotron4j.engine.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One function call made by the assistant.
 *
 * @param id the call's id, which a tool result refers back to; {@code null} when there is none (the model's own
 *         output carries none, see {@link ToolCallParser})
 * @param name the function name
 * @param argumentsJson the arguments as JSON text, normally an object such as {@code {"city": "Paris"}}
 */
public record ToolCall(String id, String name, String argumentsJson) {

    /** Checks that name and arguments are present. */
    public ToolCall {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(argumentsJson, "argumentsJson");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a tool call needs a function name");
        }
    }

    /** The same call with another id. */
    public ToolCall withId(String newId) {
        return new ToolCall(newId, name, argumentsJson);
    }

    /**
     * The OpenAI / Hugging Face shape the templates read: {@code {"type": "function", "function": {"name": ...,
     * "arguments": ...}, "id": ...}}. Arguments that form a JSON object are passed parsed (templates serialise them
     * with {@code tojson} or walk them with {@code |items}); anything else is passed as the text, which templates
     * insert verbatim.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", name);
        Map<?, ?> parsed = Json.parseObjectOrNull(argumentsJson);
        function.put("arguments", parsed != null ? parsed : argumentsJson);
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("type", "function");
        call.put("function", function);
        if (id != null) {
            call.put("id", id);
        }
        return call;
    }
}
