package io.nemotron4j.engine.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A function the model may call, as offered to it in the prompt.
 *
 * @param name the function name
 * @param description what it does, for the model; {@code null} for none
 * @param parametersJsonSchema a JSON Schema object describing the arguments, as JSON text; its key order is kept in
 *         the prompt
 */
public record ToolDefinition(String name, String description, String parametersJsonSchema) {

    /**
     * Checks the definition.
     *
     * @throws IllegalArgumentException if the name is blank or the schema is not a JSON object
     */
    public ToolDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parametersJsonSchema, "parametersJsonSchema");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a tool needs a name");
        }
        if (Json.parseObjectOrNull(parametersJsonSchema) == null) {
            throw new IllegalArgumentException("the parameters of tool '" + name + "' are not a JSON object: "
                    + parametersJsonSchema);
        }
    }

    /** {@code {"type": "function", "function": {"name": ..., "description": ..., "parameters": {...}}}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", name);
        if (description != null) {
            function.put("description", description);
        }
        function.put("parameters", Json.parseObjectOrNull(parametersJsonSchema));
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("type", "function");
        tool.put("function", function);
        return tool;
    }
}
