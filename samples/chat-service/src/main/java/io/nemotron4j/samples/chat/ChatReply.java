package io.nemotron4j.samples.chat;

import io.nemotron4j.spring.chat.NemotronChatMetadata;

import org.springframework.ai.chat.model.ChatResponse;

/**
 * A chat answer: the answer and the reasoning apart, why generation stopped, and what it cost.
 *
 * @param answer the answer text, without reasoning
 * @param reasoning the model's reasoning, empty when it did not reason
 * @param finishReason {@code STOP}, {@code THINKING_BUDGET}, {@code LENGTH}, ...
 * @param model the model that answered
 * @param usage token counts
 */
public record ChatReply(String answer, String reasoning, String finishReason, String model, TokenUsage usage) {

    static ChatReply of(ChatResponse response) {
        return new ChatReply(response.getResult().getOutput().getText(), NemotronChatMetadata.reasoningOf(response),
                response.getResult().getMetadata().getFinishReason(), response.getMetadata().getModel(),
                TokenUsage.of(response));
    }

    /**
     * Token counts of an answer.
     *
     * @param promptTokens tokens of the rendered conversation
     * @param completionTokens generated tokens, reasoning included
     * @param reasoningTokens of which reasoning
     * @param totalTokens prompt and completion
     */
    public record TokenUsage(int promptTokens, int completionTokens, int reasoningTokens, int totalTokens) {

        static TokenUsage of(ChatResponse response) {
            var usage = response.getMetadata().getUsage();
            return new TokenUsage(usage.getPromptTokens(), usage.getCompletionTokens(),
                    NemotronChatMetadata.reasoningTokensOf(response), usage.getTotalTokens());
        }
    }
}
