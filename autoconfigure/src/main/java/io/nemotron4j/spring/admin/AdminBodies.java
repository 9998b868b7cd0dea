package io.nemotron4j.spring.admin;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

import io.nemotron4j.spring.governance.ApiKeys;
import io.nemotron4j.spring.governance.Tenant;
import io.nemotron4j.spring.governance.TenantUsage;
import org.jspecify.annotations.Nullable;

/**
 * The JSON shapes of the admin API that are not governance types themselves (docs/ADMIN-API.md).
 */
final class AdminBodies {

    private AdminBodies() {
    }

    /** {@code POST /api/tenants}. */
    record NewTenant(@Nullable String name, @Nullable String timeZone, @Nullable String principal,
            @Nullable String contentPolicy, @Nullable LimitsBody limits) {
    }

    /** {@code PATCH /api/tenants/{id}}: absent or null fields stay as they are; an empty principal removes it. */
    record TenantChanges(@Nullable String name, @Nullable String timeZone, @Nullable String principal,
            @Nullable String contentPolicy, @Nullable Boolean enabled) {
    }

    /** A tenant with its limits and current usage. */
    record TenantView(UUID id, String name, String timeZone, @Nullable String principal, String contentPolicy,
            boolean enabled, Instant createdAt, Instant updatedAt, LimitsBody limits, TenantUsage usage) {

        static TenantView of(Tenant tenant, LimitsBody limits, TenantUsage usage) {
            return new TenantView(tenant.id(), tenant.name(), tenant.timeZone(), tenant.principal(),
                    tenant.contentPolicy(), tenant.enabled(), tenant.createdAt(), tenant.updatedAt(), limits, usage);
        }

    }

    /** {@code POST /api/tenants/{id}/keys}. */
    record NewKey(@Nullable String name, @Nullable Instant expiresAt) {
    }

    /** A newly issued key: the stored key plus its secret, shown this once. */
    record IssuedKeyView(UUID id, UUID tenantId, String name, String prefix, Instant createdAt,
            @Nullable Instant expiresAt, @Nullable Instant revokedAt, @Nullable Instant lastUsedAt, String secret) {

        static IssuedKeyView of(ApiKeys.ApiKey key, String secret) {
            return new IssuedKeyView(key.id(), key.tenantId(), key.name(), key.prefix(), key.createdAt(),
                    key.expiresAt(), key.revokedAt(), key.lastUsedAt(), secret);
        }

    }

    /** {@code PUT /api/retention}. */
    record RetentionChange(@Nullable Integer months) {
    }

    /** {@code GET /api/retention}. */
    record RetentionView(int months, @Nullable YearMonth oldestPartition) {
    }

    /** A page of a listing with the opaque cursor of the next page. */
    record Page<T>(List<T> items, @Nullable String nextCursor) {
    }

}
