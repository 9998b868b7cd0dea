package io.nemotron4j.engine.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** JSON helpers for the chat layer: parsing into ordered maps, and mutable copies of JSON-like values. */
final class Json {

    private Json() {
    }

    /**
     * Parses JSON text into Java values; objects become {@link LinkedHashMap}s, so key order (which {@code tojson}
     * reproduces) is kept.
     *
     * @throws IllegalArgumentException if the text is not JSON
     */
    static Object parse(String json) {
        try {
            return JsonMapper.shared().readValue(json, Object.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The JSON object in {@code json}, or {@code null} if the text is not a JSON object. */
    static Map<?, ?> parseObjectOrNull(String json) {
        try {
            return JsonMapper.shared().readValue(json, Object.class) instanceof Map<?, ?> m ? m : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /**
     * A deep, mutable copy of a JSON-like value in which {@link ChatMessage}, {@link ToolCall} and
     * {@link ToolDefinition} are replaced by their JSON form.
     */
    static Object copy(Object v) {
        return switch (v) {
            case ChatMessage m -> m.toJson();
            case ToolCall c -> c.toJson();
            case ToolDefinition t -> t.toJson();
            case Map<?, ?> m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                m.forEach((k, x) -> out.put(k, copy(x)));
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                l.forEach(x -> out.add(copy(x)));
                yield out;
            }
            case null, default -> v;
        };
    }
}
