package io.nemotron4j.engine.chat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A conversation in the JSON form of the reference renderings (and of {@code nemotron4j render}):
 * <pre>
 * {"messages": [...], "tools": [...], "add_generation_prompt": true, "continue_final_message": false,
 *  "template_kwargs": {...}}
 * </pre>
 * Only {@code messages} is required; other keys, such as {@code name} and {@code description}, are ignored.
 *
 * @param messages the messages, JSON-like
 * @param tools the tools, or {@code null} for none
 * @param addGenerationPrompt whether the prompt ends with a new assistant header (default false)
 * @param continueFinalMessage whether the final message stays open (default false)
 * @param templateKwargs extra template variables (default none)
 */
public record ConversationFile(List<Object> messages, List<Object> tools, boolean addGenerationPrompt,
        boolean continueFinalMessage, Map<String, Object> templateKwargs) {

    /**
     * Reads a conversation file (UTF-8).
     *
     * @throws IllegalArgumentException if the file is not such a conversation
     */
    public static ConversationFile read(Path file) throws IOException {
        try {
            return parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses conversation JSON.
     *
     * @throws IllegalArgumentException if the text is not JSON or lacks a {@code messages} list
     */
    @SuppressWarnings("unchecked")
    public static ConversationFile parse(String json) {
        if (!(Json.parse(json) instanceof Map<?, ?> doc)) {
            throw new IllegalArgumentException("a conversation is a JSON object");
        }
        if (!(doc.get("messages") instanceof List<?> messages)) {
            throw new IllegalArgumentException("a conversation needs a \"messages\" list");
        }
        Object tools = doc.get("tools");
        if (tools != null && !(tools instanceof List<?>)) {
            throw new IllegalArgumentException("\"tools\" must be a list");
        }
        Object kwargs = doc.get("template_kwargs");
        if (kwargs != null && !(kwargs instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("\"template_kwargs\" must be an object");
        }
        return new ConversationFile((List<Object>) messages, (List<Object>) tools, flag(doc, "add_generation_prompt"),
                flag(doc, "continue_final_message"), kwargs == null ? Map.of() : (Map<String, Object>) kwargs);
    }

    private static boolean flag(Map<?, ?> doc, String key) {
        Object v = doc.get(key);
        if (v != null && !(v instanceof Boolean)) {
            throw new IllegalArgumentException("\"" + key + "\" must be true or false");
        }
        return Boolean.TRUE.equals(v);
    }

    /** Renders this conversation with the given template. */
    public String renderWith(ChatTemplate template) {
        return template.render(messages, tools, addGenerationPrompt, continueFinalMessage, templateKwargs);
    }
}
