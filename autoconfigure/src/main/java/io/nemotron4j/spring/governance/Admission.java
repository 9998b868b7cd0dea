package io.nemotron4j.spring.governance;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An admitted request: holds a reservation until {@link GovernanceService#settle} (or the lease runs out).
 *
 * @param requestId the id of the request's reservation and audit row
 * @param tenantId the tenant
 * @param startedAt when it was admitted (database clock)
 * @param maxTokens most tokens generation may produce: what was reserved beyond the prompt
 * @param thinkingBudget the reasoning budget to apply: the tenant's default when none was asked for, {@code null}
 * when the request does not reason or neither asked nor has a default
 * @param reservedTokens tokens held: prompt plus {@code maxTokens}
 * @param leaseUntil when the reservation expires unless renewed or settled
 * @param contentPolicy what the audit keeps of this request's prompt and answer: the tenant's policy when it was
 * admitted; record with a {@link ContentRecorder} of it and settle with its content
 * @since 0.1.0
 */
public record Admission(UUID requestId, UUID tenantId, Instant startedAt, int maxTokens,
        @Nullable Integer thinkingBudget, long reservedTokens, Instant leaseUntil, ContentPolicy contentPolicy) {
}
