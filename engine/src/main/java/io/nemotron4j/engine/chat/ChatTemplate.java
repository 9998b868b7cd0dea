package io.nemotron4j.engine.chat;

import io.nemotron4j.engine.chat.jinja.JinjaException;
import io.nemotron4j.engine.chat.jinja.PyStrings;
import io.nemotron4j.engine.chat.jinja.Template;
import io.nemotron4j.engine.gguf.GGUFException;
import io.nemotron4j.engine.gguf.GGUFMetadata;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A Hugging Face chat template: turns a conversation into the prompt text the model was trained on, byte for byte
 * as {@code transformers}' {@code apply_chat_template(tokenize=False)} renders it with Jinja2.
 *
 * <p>Messages and tools are JSON-like values in the OpenAI / Hugging Face shape ({@link Map}, {@link List},
 * {@link String}, {@link Number}, {@link Boolean}, {@code null}; maps keep their key order, which {@code tojson}
 * reproduces), or the typed {@link ChatMessage} and {@link ToolDefinition}, which render identically. The template
 * sees {@code messages}, {@code tools} ({@code None} when absent), {@code documents = None},
 * {@code add_generation_prompt} and the extra keyword arguments; it is not given {@code bos_token} and the like
 * unless they are passed as keyword arguments.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ChatTemplate {

    /** The GGUF metadata key holding a model's chat template. */
    public static final String METADATA_KEY = "tokenizer.chat_template";

    // transformers' marker for continue_final_message, appended to the final message and cut off after rendering.
    private static final String CONTINUE_TAG = "CONTINUE_FINAL_MESSAGE_TAG ";
    private static final Set<String> RESERVED = Set.of("messages", "tools", "documents", "add_generation_prompt");

    private final String source;
    private final Template template;

    private ChatTemplate(String source, Template template) {
        this.source = source;
        this.template = template;
    }

    /**
     * Compiles a template.
     *
     * @throws ChatTemplateException if it has a syntax error or uses a construct the interpreter does not support,
     *         naming the construct and its line
     */
    public static ChatTemplate compile(String source) {
        try {
            return new ChatTemplate(source, Template.parse(source));
        } catch (JinjaException e) {
            throw new ChatTemplateException(e);
        }
    }

    /**
     * The template a GGUF file carries under {@value #METADATA_KEY}, else the {@linkplain #builtIn() built-in} one.
     *
     * @throws GGUFException if the key holds something other than a string
     * @throws ChatTemplateException if the file's template cannot be compiled
     */
    public static ChatTemplate fromMetadata(GGUFMetadata metadata) throws GGUFException {
        Optional<String> embedded = metadata.findString(METADATA_KEY);
        return embedded.isPresent() ? compile(embedded.get()) : builtIn();
    }

    /**
     * The NVIDIA Nemotron Nano 9B v2 template as printed in its model card, for files that carry none. The card
     * variant is the one NVIDIA's own training and inference stacks use (a single newline after the system block
     * and after tool responses); the llama.cpp copy found in some GGUF files differs only in that whitespace and in
     * tolerating {@code null} content, and a file that has it embeds it, so it is found first.
     */
    public static ChatTemplate builtIn() {
        return BuiltIn.TEMPLATE;
    }

    private static final class BuiltIn {
        static final ChatTemplate TEMPLATE = compile(load("nano-v2-card.jinja"));

        private static String load(String name) {
            try (InputStream in = ChatTemplate.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("built-in chat template " + name + " is missing from the jar");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The template text. */
    public String source() {
        return source;
    }

    /**
     * Renders a conversation given as JSON-like values.
     *
     * @param messages the messages, each a map with {@code role}, {@code content} and optionally
     *         {@code tool_calls}, {@code tool_call_id}, {@code reasoning_content}
     * @param tools OpenAI tool objects, or {@code null} for none
     * @param addGenerationPrompt end with the header of a new assistant turn
     * @param kwargs extra template variables (e.g. {@code enable_thinking}); may be empty
     * @throws ChatTemplateException if the template fails on this conversation
     * @throws IllegalArgumentException if a value has no JSON equivalent or a keyword argument would replace one of
     *         the standard variables
     */
    public String render(List<?> messages, List<?> tools, boolean addGenerationPrompt, Map<String, ?> kwargs) {
        return render(messages, tools, addGenerationPrompt, false, kwargs);
    }

    /**
     * As {@link #render(List, List, boolean, Map)}, optionally leaving the final message open for the model to
     * continue ({@code continue_final_message}). That works as in {@code transformers}: a marker is appended to the
     * final message's content, the conversation is rendered without a generation prompt, and the text is cut just
     * before the marker (and right-stripped when the template stripped the message). So whatever the template
     * writes after the message, such as an end-of-turn token, is gone.
     *
     * @throws IllegalArgumentException if both {@code addGenerationPrompt} and {@code continueFinalMessage} are set,
     *         or the final message has no content to continue
     * @throws ChatTemplateException if rendering fails, or the template drops part of the final message so that
     *         it cannot be continued
     */
    public String render(List<?> messages, List<?> tools, boolean addGenerationPrompt, boolean continueFinalMessage,
            Map<String, ?> kwargs) {
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(kwargs, "kwargs");
        @SuppressWarnings("unchecked")
        List<Object> msgs = (List<Object>) Json.copy(messages);
        if (!continueFinalMessage) {
            return run(msgs, tools, addGenerationPrompt, kwargs);
        }
        if (addGenerationPrompt) {
            throw RenderOptions.incompatibleEndings();
        }
        String finalText = markFinalMessage(msgs);
        String rendered = run(msgs, tools, false, kwargs);
        String tag = PyStrings.strip(CONTINUE_TAG);
        if (!rendered.contains(PyStrings.strip(finalText)) || !rendered.contains(tag)) {
            throw new ChatTemplateException("continue_final_message: the template does not render the final message"
                    + " as it is, so the prompt cannot end inside it");
        }
        int at = rendered.lastIndexOf(tag);
        // A template that keeps the marker's trailing space kept the message's own trailing spacing too.
        return rendered.startsWith(CONTINUE_TAG, at) ? rendered.substring(0, at)
                : PyStrings.rstrip(rendered.substring(0, at));
    }

    /**
     * Renders typed messages and tools; the same as rendering their {@link ChatMessage#toJson()} and
     * {@link ToolDefinition#toJson()} forms.
     *
     * @param tools the tools offered; empty or {@code null} for none
     * @throws ChatTemplateException if the template fails on this conversation
     */
    public String render(List<ChatMessage> messages, List<ToolDefinition> tools, RenderOptions options) {
        return render(messages, tools == null || tools.isEmpty() ? null : tools, options.addGenerationPrompt(),
                options.continueFinalMessage(), options.templateKwargs());
    }

    // Appends the marker to the final message's text (its last text block, for structured content) and returns that text.
    @SuppressWarnings("unchecked")
    private String markFinalMessage(List<Object> messages) {
        if (messages.isEmpty() || !(messages.getLast() instanceof Map<?, ?> last)) {
            throw new IllegalArgumentException("continue_final_message is set but there is no final message");
        }
        if (!source.contains("content")) {
            throw new ChatTemplateException("continue_final_message: this template does not read message content");
        }
        Map<Object, Object> message = (Map<Object, Object>) last;
        Object content = message.get("content");
        if (content instanceof String text) {
            message.put("content", text + CONTINUE_TAG);
            return text;
        }
        if (content instanceof List<?> blocks) {
            for (Object block : blocks.reversed()) {
                if (block instanceof Map<?, ?> b && b.get("text") instanceof String text) {
                    ((Map<Object, Object>) b).put("text", text + CONTINUE_TAG);
                    return text;
                }
            }
        }
        throw new IllegalArgumentException(
                "continue_final_message is set but the final message has no text content to continue");
    }

    private String run(List<Object> messages, List<?> tools, boolean addGenerationPrompt, Map<String, ?> kwargs) {
        Map<String, Object> variables = new HashMap<>();
        kwargs.forEach((k, v) -> {
            if (RESERVED.contains(k)) {
                throw new IllegalArgumentException(
                        "template keyword argument '" + k + "' would replace a standard variable");
            }
            variables.put(k, Json.copy(v));
        });
        variables.put("messages", messages);
        variables.put("tools", tools == null ? null : Json.copy(tools));
        variables.put("documents", null);
        variables.put("add_generation_prompt", addGenerationPrompt);
        try {
            return template.render(variables);
        } catch (JinjaException e) {
            throw new ChatTemplateException(e);
        }
    }
}
