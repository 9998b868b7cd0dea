package io.nemotron4j.engine.chat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a rendered prompt ends, and which extra variables the template sees.
 *
 * @param addGenerationPrompt end with the header of a new assistant turn (the usual case before generating)
 * @param continueFinalMessage leave the final (assistant) message open so the model continues it, as
 *         {@code transformers}' {@code continue_final_message} does; excludes {@code addGenerationPrompt}
 * @param templateKwargs extra template variables, e.g. {@code enable_thinking} for Nemotron 3
 */
public record RenderOptions(boolean addGenerationPrompt, boolean continueFinalMessage, Map<String, Object> templateKwargs) {

    /**
     * Checks and copies the options.
     *
     * @throws IllegalArgumentException if both a generation prompt and continuing the final message are asked for
     */
    public RenderOptions {
        if (addGenerationPrompt && continueFinalMessage) {
            throw incompatibleEndings();
        }
        templateKwargs = Collections.unmodifiableMap(new LinkedHashMap<>(templateKwargs == null ? Map.of() : templateKwargs));
    }

    static IllegalArgumentException incompatibleEndings() {
        return new IllegalArgumentException("continue_final_message and add_generation_prompt are not compatible: the"
                + " first continues the last message, the second starts a new assistant message");
    }

    /** End with a new assistant turn's header. */
    public static RenderOptions generationPrompt() {
        return new RenderOptions(true, false, Map.of());
    }

    /** Render the conversation as it is, closing every message. */
    public static RenderOptions closed() {
        return new RenderOptions(false, false, Map.of());
    }

    /** Leave the final message open for the model to continue. */
    public static RenderOptions continueFinal() {
        return new RenderOptions(false, true, Map.of());
    }

    /** The same options with one more template variable (replacing one of the same name). */
    public RenderOptions withKwarg(String name, Object value) {
        Map<String, Object> kwargs = new LinkedHashMap<>(templateKwargs);
        kwargs.put(name, value);
        return new RenderOptions(addGenerationPrompt, continueFinalMessage, kwargs);
    }
}
