package io.nemotron4j.spring.governance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Tenants and their limits in PostgreSQL.
 *
 * @since 0.1.0
 */
public class Tenants {

    private final JdbcClient jdbc;

    /**
     * Creates the store.
     * @param jdbc a client on the governance database
     */
    public Tenants(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Creates a tenant without limits.
     * @param name a unique name
     * @param zone the zone its days, weeks and months are counted in
     * @return the new tenant's id
     */
    public UUID create(String name, ZoneId zone) {
        return create(name, zone, null, "NONE");
    }

    /**
     * Creates a tenant without limits.
     * @param name a unique name
     * @param zone the zone its days, weeks and months are counted in
     * @param principal the host application's principal mapped to it, if any (unique)
     * @param contentPolicy what of a request's content the audit keeps
     * @return the new tenant's id
     * @throws org.springframework.dao.DuplicateKeyException if the name or principal is taken
     */
    public UUID create(String name, ZoneId zone, @Nullable String principal, String contentPolicy) {
        if (name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("tenant name must have 1 to 100 characters, had " + name.length());
        }
        UUID id = UUID.randomUUID();
        this.jdbc.sql("insert into n4j_tenant (id, name, time_zone, principal, content_policy) values (?, ?, ?, ?, ?)")
            .params(id, name, zone.getId(), principal, contentPolicy)
            .update();
        return id;
    }

    /**
     * A tenant.
     * @param tenantId its id
     * @return the tenant, or empty when there is none with that id
     */
    public Optional<Tenant> find(UUID tenantId) {
        return this.jdbc.sql("select * from n4j_tenant where id = ?").param(tenantId).query(Tenants::readTenant)
            .optional();
    }

    /** @return every tenant, by name */
    public List<Tenant> list() {
        return this.jdbc.sql("select * from n4j_tenant order by name, id").query(Tenants::readTenant).list();
    }

    /**
     * The tenant a principal of the host application is mapped to.
     * @param principal the principal's name
     * @return the tenant's id, or empty when the principal is mapped to none
     */
    public Optional<UUID> tenantOfPrincipal(String principal) {
        return this.jdbc.sql("select id from n4j_tenant where principal = ?").param(principal).query(UUID.class)
            .optional();
    }

    /**
     * Stores a tenant's name, zone, principal, content policy and enabled flag.
     * @param tenant the tenant as it should be
     * @throws UnknownTenantException if there is no such tenant
     * @throws org.springframework.dao.DuplicateKeyException if the name or principal is taken
     */
    public void update(Tenant tenant) {
        if (this.jdbc.sql("""
                update n4j_tenant set name = ?, time_zone = ?, principal = ?, content_policy = ?, enabled = ?,
                    updated_at = now() where id = ?
                """)
            .params(tenant.name(), tenant.timeZone(), tenant.principal(), tenant.contentPolicy(), tenant.enabled(),
                    tenant.id())
            .update() == 0) {
            throw new UnknownTenantException(tenant.id());
        }
    }

    /**
     * Deletes a tenant with its keys, limits, booked usage and reservations; its request audit rows stay.
     * @param tenantId the tenant
     * @return whether it existed
     */
    public boolean delete(UUID tenantId) {
        return this.jdbc.sql("delete from n4j_tenant where id = ?").param(tenantId).update() == 1;
    }

    private static Tenant readTenant(ResultSet rs, int row) throws SQLException {
        return new Tenant(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("time_zone"),
                rs.getString("principal"), rs.getString("content_policy"), rs.getBoolean("enabled"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    /**
     * Replaces a tenant's limits.
     * @param tenantId the tenant
     * @param limits the new limits
     * @throws UnknownTenantException if there is no such tenant
     */
    public void putLimits(UUID tenantId, TenantLimits limits) {
        if (this.jdbc.sql("select count(*) from n4j_tenant where id = ?").param(tenantId).query(Long.class)
            .single() == 0) {
            throw new UnknownTenantException(tenantId);
        }
        this.jdbc.sql("""
                insert into n4j_tenant_limits (tenant_id, tokens_per_day, tokens_per_week, tokens_per_month,
                    cost_per_day, cost_per_week, cost_per_month, price_input_per_1k, price_reasoning_per_1k,
                    price_output_per_1k, requests_per_minute, tokens_per_minute, concurrent_requests,
                    max_tokens_per_request, thinking_allowed, thinking_default_budget, thinking_max_budget)
                values (:t, :tpd, :tpw, :tpm, :cpd, :cpw, :cpm, :pin, :preason, :pout, :rpm, :tokpm, :conc, :maxtok,
                    :think, :tdef, :tmax)
                on conflict (tenant_id) do update set tokens_per_day = excluded.tokens_per_day,
                    tokens_per_week = excluded.tokens_per_week, tokens_per_month = excluded.tokens_per_month,
                    cost_per_day = excluded.cost_per_day, cost_per_week = excluded.cost_per_week,
                    cost_per_month = excluded.cost_per_month, price_input_per_1k = excluded.price_input_per_1k,
                    price_reasoning_per_1k = excluded.price_reasoning_per_1k,
                    price_output_per_1k = excluded.price_output_per_1k,
                    requests_per_minute = excluded.requests_per_minute,
                    tokens_per_minute = excluded.tokens_per_minute,
                    concurrent_requests = excluded.concurrent_requests,
                    max_tokens_per_request = excluded.max_tokens_per_request,
                    thinking_allowed = excluded.thinking_allowed,
                    thinking_default_budget = excluded.thinking_default_budget,
                    thinking_max_budget = excluded.thinking_max_budget, updated_at = now()
                """)
            .param("t", tenantId)
            .param("tpd", limits.tokensPerDay())
            .param("tpw", limits.tokensPerWeek())
            .param("tpm", limits.tokensPerMonth())
            .param("cpd", limits.costPerDay())
            .param("cpw", limits.costPerWeek())
            .param("cpm", limits.costPerMonth())
            .param("pin", limits.priceInputPer1k())
            .param("preason", limits.priceReasoningPer1k())
            .param("pout", limits.priceOutputPer1k())
            .param("rpm", limits.requestsPerMinute())
            .param("tokpm", limits.tokensPerMinute())
            .param("conc", limits.concurrentRequests())
            .param("maxtok", limits.maxTokensPerRequest())
            .param("think", limits.thinkingAllowed())
            .param("tdef", limits.thinkingDefaultBudget())
            .param("tmax", limits.thinkingMaxBudget())
            .update();
    }

    /**
     * Switches a tenant on or off; a disabled tenant's requests are refused.
     * @param tenantId the tenant
     * @param enabled whether it may use the model
     */
    public void setEnabled(UUID tenantId, boolean enabled) {
        if (this.jdbc.sql("update n4j_tenant set enabled = ?, updated_at = now() where id = ?")
            .params(enabled, tenantId)
            .update() == 0) {
            throw new UnknownTenantException(tenantId);
        }
    }

    /**
     * A tenant's limits.
     * @param tenantId the tenant
     * @return its limits, or empty when none were ever set (then it has none)
     */
    public Optional<TenantLimits> limits(UUID tenantId) {
        return this.jdbc.sql("select * from n4j_tenant_limits where tenant_id = ?")
            .param(tenantId)
            .query((rs, row) -> readLimits(rs))
            .optional();
    }

    /**
     * Reads the limit columns of the current row; a left join without a limits row reads as {@link TenantLimits#NONE}.
     */
    static TenantLimits readLimits(ResultSet rs) throws SQLException {
        if (rs.getObject("thinking_allowed") == null) {
            return TenantLimits.NONE;
        }
        return new TenantLimits(nullableLong(rs, "tokens_per_day"), nullableLong(rs, "tokens_per_week"),
                nullableLong(rs, "tokens_per_month"), rs.getBigDecimal("cost_per_day"),
                rs.getBigDecimal("cost_per_week"), rs.getBigDecimal("cost_per_month"),
                rs.getBigDecimal("price_input_per_1k"), rs.getBigDecimal("price_reasoning_per_1k"),
                rs.getBigDecimal("price_output_per_1k"), nullableInt(rs, "requests_per_minute"),
                nullableLong(rs, "tokens_per_minute"), nullableInt(rs, "concurrent_requests"),
                nullableInt(rs, "max_tokens_per_request"), rs.getBoolean("thinking_allowed"),
                nullableInt(rs, "thinking_default_budget"), nullableInt(rs, "thinking_max_budget"));
    }

    private static @Nullable Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static @Nullable Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

}
