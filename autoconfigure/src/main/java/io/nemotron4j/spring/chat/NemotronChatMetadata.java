package io.nemotron4j.spring.chat;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

/**
 * Where {@link NemotronChatModel} puts what Spring AI has no portable field for, and helpers to read it back.
 *
 * <p>Reasoning: the answer text of an {@link AssistantMessage} never contains the model's reasoning. The reasoning
 * is in the message property {@value #REASONING_CONTENT} (the key Spring AI's OpenAI model uses, so code written for
 * OpenAI-compatible servers keeps working) and in the generation metadata under the same key. While streaming, a
 * reasoning chunk has empty text, its new piece under {@value #REASONING_DELTA} and the reasoning so far under
 * {@value #REASONING_CONTENT}: Spring AI's aggregators merge message properties last-wins, so a cumulative value is
 * what survives aggregation.
 *
 * <p>Usage: {@code completionTokens} counts reasoning and answer tokens together (both are generated); the split is
 * under {@value #REASONING_TOKENS} in the response metadata, and the engine's own usage record is the native usage.
 *
 * @since 0.1.0
 */
public final class NemotronChatMetadata {

    /** The provider name: the {@code gen_ai.system} tag of Spring AI's observations. */
    public static final String PROVIDER = "nemotron";

    /** Message property and generation metadata key of the whole reasoning text. */
    public static final String REASONING_CONTENT = "reasoningContent";

    /** Message property of a streamed chunk's new piece of reasoning. */
    public static final String REASONING_DELTA = "reasoningDelta";

    /** Response metadata key: tokens generated inside the reasoning (included in the completion tokens). */
    public static final String REASONING_TOKENS = "reasoningTokens";

    /** Response metadata key: tokens generated after the reasoning. */
    public static final String ANSWER_TOKENS = "answerTokens";

    /** Response metadata key: milliseconds from the request to the first generated token, waiting time included. */
    public static final String TIME_TO_FIRST_TOKEN_MILLIS = "timeToFirstTokenMillis";

    /** Response metadata key: milliseconds the request waited for a free generation slot. */
    public static final String QUEUE_MILLIS = "queueMillis";

    /** Response metadata key: prompt tokens processed per second. */
    public static final String PREFILL_TOKENS_PER_SECOND = "prefillTokensPerSecond";

    /** Response metadata key: tokens generated per second after the first. */
    public static final String DECODE_TOKENS_PER_SECOND = "decodeTokensPerSecond";

    /** Finish reason: the model ended its turn. */
    public static final String FINISH_STOP = "STOP";

    /** Finish reason: the model ended its turn after the engine closed its reasoning at the thinking budget. */
    public static final String FINISH_THINKING_BUDGET = "THINKING_BUDGET";

    /** Finish reason: the token limit or the end of the context was reached. */
    public static final String FINISH_LENGTH = "LENGTH";

    /** Finish reason: the model asked for tool calls (see {@link AssistantMessage#getToolCalls()}). */
    public static final String FINISH_TOOL_CALLS = "TOOL_CALLS";

    /** Finish reason: the generation was cancelled (a cancelled stream, or the application shutting down). */
    public static final String FINISH_CANCELLED = "CANCELLED";

    private NemotronChatMetadata() {
    }

    /** The whole reasoning of a response's first generation; empty when it has none. */
    public static String reasoningOf(@Nullable ChatResponse response) {
        if (response == null || response.getResult() == null) {
            return "";
        }
        Generation generation = response.getResult();
        String fromMessage = reasoningOf(generation.getOutput());
        if (!fromMessage.isEmpty()) {
            return fromMessage;
        }
        ChatGenerationMetadata metadata = generation.getMetadata();
        Object value = metadata.get(REASONING_CONTENT);
        return value instanceof String s ? s : "";
    }

    /** The reasoning an assistant message carries; empty when it has none. */
    public static String reasoningOf(@Nullable AssistantMessage message) {
        if (message == null) {
            return "";
        }
        Map<String, Object> properties = message.getMetadata();
        Object value = properties.get(REASONING_CONTENT);
        return value instanceof String s ? s : "";
    }

    /** The reasoning tokens a response reports; 0 when it reports none. */
    public static int reasoningTokensOf(@Nullable ChatResponse response) {
        if (response == null) {
            return 0;
        }
        Object value = response.getMetadata().get(REASONING_TOKENS);
        return value instanceof Number n ? n.intValue() : 0;
    }
}
