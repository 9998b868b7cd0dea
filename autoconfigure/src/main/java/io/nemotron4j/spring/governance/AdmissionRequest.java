package io.nemotron4j.spring.governance;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * What admission needs to know about one request.
 *
 * @param tenantId the tenant that pays for the request
 * @param apiKeyId the API key it came with, if any
 * @param principal the host application's principal it came from, if any
 * @param model the model's name
 * @param promptTokens tokens of the prompt (the input)
 * @param maxTokens most tokens the request may generate, reasoning and answer together; admission reserves
 * {@code promptTokens + maxTokens} and generation must stop there
 * @param thinking whether the request asks for reasoning
 * @param thinkingBudget the reasoning budget asked for, or {@code null} for the tenant's default
 * @param temperature the sampling temperature, for the audit
 * @param clientAddress the caller's address, for the audit
 * @param traceId the trace id, for the audit
 * @since 0.1.0
 */
public record AdmissionRequest(UUID tenantId, @Nullable UUID apiKeyId, @Nullable String principal, String model,
        int promptTokens, int maxTokens, boolean thinking, @Nullable Integer thinkingBudget,
        @Nullable Double temperature, @Nullable String clientAddress, @Nullable String traceId) {

    /**
     * Checks the numbers.
     * @throws IllegalArgumentException if a token count is negative or {@code maxTokens} is not positive
     */
    public AdmissionRequest {
        if (promptTokens < 0) {
            throw new IllegalArgumentException("promptTokens must be >= 0, was " + promptTokens);
        }
        if (maxTokens <= 0) {
            throw new IllegalArgumentException("maxTokens must be > 0, was " + maxTokens);
        }
        if (thinkingBudget != null && thinkingBudget < -1) {
            throw new IllegalArgumentException("thinkingBudget must be >= -1, was " + thinkingBudget);
        }
    }

    /**
     * A request with only the fields admission decides on; the audit-only fields are left empty.
     * @param tenantId the tenant
     * @param model the model's name
     * @param promptTokens tokens of the prompt
     * @param maxTokens most tokens to generate
     * @return the request
     */
    public static AdmissionRequest of(UUID tenantId, String model, int promptTokens, int maxTokens) {
        return new AdmissionRequest(tenantId, null, null, model, promptTokens, maxTokens, false, null, null, null,
                null);
    }

}
