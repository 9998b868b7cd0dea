package io.nemotron4j.spring.admin;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import io.nemotron4j.spring.governance.AdminAuditLog;
import io.nemotron4j.spring.governance.ApiKeys;
import io.nemotron4j.spring.governance.AuditRetention;
import io.nemotron4j.spring.governance.Tenant;
import io.nemotron4j.spring.governance.TenantLimits;
import io.nemotron4j.spring.governance.Tenants;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every change the admin API makes, each in one transaction together with its entry in the {@link AdminAuditLog}
 * (actor, before and after as JSON): a change is never without its record, nor a record without its change.
 *
 * @since 0.1.0
 */
public class AdminChanges {

    private final Tenants tenants;

    private final ApiKeys keys;

    private final AuditRetention retention;

    private final AdminAuditLog log;

    private final TransactionTemplate transactions;

    private final JsonMapper json;

    /**
     * Creates the changes.
     * @param tenants tenants and limits
     * @param keys API keys
     * @param retention the audit retention
     * @param log the admin audit log
     * @param transactionManager a transaction manager on the governance database
     * @param json writes before and after states
     */
    public AdminChanges(Tenants tenants, ApiKeys keys, AuditRetention retention, AdminAuditLog log,
            PlatformTransactionManager transactionManager, JsonMapper json) {
        this.tenants = tenants;
        this.keys = keys;
        this.retention = retention;
        this.log = log;
        this.transactions = new TransactionTemplate(transactionManager);
        this.json = json;
    }

    /**
     * Creates a tenant, with limits if given.
     * @param actor who asks
     * @param name its name
     * @param zone its zone
     * @param principal the host principal mapped to it, if any
     * @param contentPolicy its content policy
     * @param limits its limits, if any
     * @return its id
     */
    public UUID createTenant(String actor, String name, ZoneId zone, @Nullable String principal,
            String contentPolicy, @Nullable TenantLimits limits) {
        return inTransaction(() -> {
            UUID id = this.tenants.create(name, zone, principal, contentPolicy);
            if (limits != null) {
                this.tenants.putLimits(id, limits);
            }
            record(actor, "tenant.create", "tenant", id, null, tenantState(id));
            return id;
        });
    }

    /**
     * Stores a changed tenant.
     * @param actor who asks
     * @param changed the tenant as it should be
     */
    public void updateTenant(String actor, Tenant changed) {
        inTransaction(() -> {
            Object before = tenantState(changed.id());
            this.tenants.update(changed);
            record(actor, "tenant.update", "tenant", changed.id(), before, tenantState(changed.id()));
            return null;
        });
    }

    /**
     * Deletes a tenant with its keys and limits.
     * @param actor who asks
     * @param tenantId the tenant
     * @return whether it existed
     */
    public boolean deleteTenant(String actor, UUID tenantId) {
        return inTransaction(() -> {
            Object before = tenantState(tenantId);
            if (!this.tenants.delete(tenantId)) {
                return false;
            }
            record(actor, "tenant.delete", "tenant", tenantId, before, null);
            return true;
        });
    }

    /**
     * Replaces a tenant's limits.
     * @param actor who asks
     * @param tenantId the tenant
     * @param limits the new limits
     */
    public void putLimits(String actor, UUID tenantId, TenantLimits limits) {
        inTransaction(() -> {
            Object before = this.tenants.limits(tenantId).orElse(TenantLimits.NONE);
            this.tenants.putLimits(tenantId, limits);
            record(actor, "limits.put", "tenant", tenantId, before, limits);
            return null;
        });
    }

    /**
     * Issues a key.
     * @param actor who asks
     * @param tenantId the tenant
     * @param name the key's name
     * @param expiresAt when it stops working, if ever
     * @return the key with its secret
     */
    public ApiKeys.IssuedKey issueKey(String actor, UUID tenantId, String name, @Nullable Instant expiresAt) {
        return inTransaction(() -> {
            ApiKeys.IssuedKey issued = this.keys.issue(tenantId, name, expiresAt);
            // The stored key, never the secret, goes into the log.
            record(actor, "key.issue", "api_key", issued.id(), null, this.keys.find(issued.id()).orElseThrow());
            return issued;
        });
    }

    /**
     * Revokes a key; revoking a revoked key changes nothing and records nothing.
     * @param actor who asks
     * @param keyId the key
     * @throws NotFoundException if there is no such key
     */
    public void revokeKey(String actor, UUID keyId) {
        inTransaction(() -> {
            ApiKeys.ApiKey before = this.keys.find(keyId).orElseThrow(() -> new NotFoundException("API key", keyId));
            if (this.keys.revoke(keyId)) {
                record(actor, "key.revoke", "api_key", keyId, before, this.keys.find(keyId).orElseThrow());
            }
            return null;
        });
    }

    /**
     * Sets the audit retention.
     * @param actor who asks
     * @param months the months to keep
     */
    public void setRetention(String actor, int months) {
        inTransaction(() -> {
            int before = this.retention.months();
            this.retention.setMonths(months);
            record(actor, "retention.set", "retention", null, Map.of("months", before), Map.of("months", months));
            return null;
        });
    }

    /**
     * Drops the audit partitions older than the retention.
     * @param actor who asks
     * @return the dropped partitions
     */
    public List<String> purge(String actor) {
        return inTransaction(() -> {
            List<String> dropped = this.retention.purge();
            record(actor, "retention.purge", "retention", null, Map.of("months", this.retention.months()),
                    Map.of("droppedPartitions", dropped));
            return dropped;
        });
    }

    private @Nullable Object tenantState(UUID tenantId) {
        return this.tenants.find(tenantId)
            .map((tenant) -> Map.of("tenant", tenant, "limits",
                    this.tenants.limits(tenantId).orElse(TenantLimits.NONE)))
            .orElse(null);
    }

    private void record(String actor, String action, String entity, @Nullable UUID id, @Nullable Object before,
            @Nullable Object after) {
        this.log.append(actor, action, entity, (id != null) ? id.toString() : null, toJson(before), toJson(after));
    }

    private @Nullable String toJson(@Nullable Object state) {
        return (state != null) ? this.json.writeValueAsString(state) : null;
    }

    private <T> T inTransaction(Supplier<T> work) {
        return this.transactions.execute((status) -> work.get());
    }

}
