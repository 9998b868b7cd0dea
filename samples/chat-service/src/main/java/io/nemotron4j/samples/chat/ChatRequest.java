package io.nemotron4j.samples.chat;

/**
 * A chat request.
 *
 * @param message what the user says (required)
 * @param system an optional system prompt
 * @param thinking {@code true} to reason before answering, {@code false} to answer at once, {@code null} for the
 *     service's default
 * @param thinkingBudget the most reasoning tokens, or {@code null} for no limit
 * @param maxTokens the most tokens generated, reasoning included, or {@code null} for the service's default
 * @param tools whether the model may call the service's tools (the clock)
 */
public record ChatRequest(String message, String system, Boolean thinking, Integer thinkingBudget, Integer maxTokens,
        Boolean tools) {
}
