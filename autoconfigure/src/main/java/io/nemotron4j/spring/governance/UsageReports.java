package io.nemotron4j.spring.governance;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Read-only reports of usage: a tenant's current usage against its periods, booked usage grouped by day, week or
 * month, and tokens per hour.
 *
 * @since 0.1.0
 */
public class UsageReports {

    private final JdbcClient jdbc;

    /**
     * Creates the reports.
     * @param jdbc a client on the governance database
     */
    public UsageReports(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** How report rows are grouped; weeks are ISO weeks (named like {@code 2026-W48}). */
    public enum GroupBy {

        /** One row per tenant-local day ({@code 2026-11-23}). */
        DAY("day", "YYYY-MM-DD"),
        /** One row per ISO week ({@code 2026-W48}). */
        WEEK("week", "IYYY-\"W\"IW"),
        /** One row per calendar month ({@code 2026-11}). */
        MONTH("month", "YYYY-MM");

        private final String unit;

        private final String format;

        GroupBy(String unit, String format) {
            this.unit = unit;
            this.format = format;
        }

    }

    /**
     * Booked usage of one tenant in one period.
     * @param tenantId the tenant
     * @param tenantName its name
     * @param period the day, week or month
     * @param requests settled requests
     * @param inputTokens prompt tokens
     * @param reasoningTokens reasoning tokens
     * @param outputTokens answer tokens
     * @param cost their cost
     */
    public record Row(UUID tenantId, String tenantName, String period, long requests, long inputTokens,
            long reasoningTokens, long outputTokens, BigDecimal cost) {
    }

    /**
     * The sums over all rows of a report.
     * @param requests settled requests
     * @param inputTokens prompt tokens
     * @param reasoningTokens reasoning tokens
     * @param outputTokens answer tokens
     * @param cost their cost
     */
    public record Totals(long requests, long inputTokens, long reasoningTokens, long outputTokens, BigDecimal cost) {
    }

    /**
     * A usage report.
     * @param rows one row per tenant and period, by period then tenant name
     * @param totals the sums of the rows
     */
    public record Report(List<Row> rows, Totals totals) {
    }

    /**
     * Tokens of requests started in one hour, over all tenants.
     * @param hour the hour's start
     * @param tokens the tokens they used (or hold, while running)
     */
    public record Hour(Instant hour, long tokens) {
    }

    /**
     * Booked usage between two tenant-local days, inclusive.
     * @param tenantId one tenant, or {@code null} for all
     * @param from the first day
     * @param to the last day
     * @param groupBy the grouping
     * @return the report
     */
    public Report report(@Nullable UUID tenantId, LocalDate from, LocalDate to, GroupBy groupBy) {
        // The unit and format come from the enum, never from the request, so splicing them in is safe.
        List<Row> rows = this.jdbc.sql("""
                select t.id, t.name, to_char(date_trunc('%s', u.day), '%s') as period, sum(u.requests) as requests,
                    sum(u.input_tokens) as input, sum(u.reasoning_tokens) as reasoning,
                    sum(u.output_tokens) as output, sum(u.cost) as cost
                from n4j_usage_daily u join n4j_tenant t on t.id = u.tenant_id
                where u.day between :from and :to and (cast(:tenant as uuid) is null or u.tenant_id = :tenant)
                group by t.id, t.name, period order by period, t.name
                """.formatted(groupBy.unit, groupBy.format))
            .param("from", from)
            .param("to", to)
            .param("tenant", tenantId, Types.OTHER)
            .query((rs, row) -> new Row(rs.getObject("id", UUID.class), rs.getString("name"),
                    rs.getString("period"), rs.getLong("requests"), rs.getLong("input"), rs.getLong("reasoning"),
                    rs.getLong("output"), rs.getBigDecimal("cost")))
            .list();
        Totals totals = new Totals(rows.stream().mapToLong(Row::requests).sum(),
                rows.stream().mapToLong(Row::inputTokens).sum(), rows.stream().mapToLong(Row::reasoningTokens).sum(),
                rows.stream().mapToLong(Row::outputTokens).sum(),
                rows.stream().map(Row::cost).reduce(BigDecimal.ZERO, BigDecimal::add));
        return new Report(rows, totals);
    }

    /**
     * Tokens per hour over the last hours, every hour present (zero when idle), oldest first.
     * @param hours how many hours back, the current one included
     * @return one entry per hour
     */
    public List<Hour> hourly(int hours) {
        return this.jdbc.sql("""
                with hours as (
                    select generate_series(date_trunc('hour', now()) - make_interval(hours => :back),
                        date_trunc('hour', now()), interval '1 hour') as hour)
                select h.hour, coalesce(sum(coalesce(a.input_tokens + a.reasoning_tokens + a.output_tokens,
                    case when a.outcome = 'STARTED' then a.reserved_tokens else 0 end)), 0) as tokens
                from hours h left join n4j_request_audit a
                    on a.started_at >= h.hour and a.started_at < h.hour + interval '1 hour'
                group by h.hour order by h.hour
                """)
            .param("back", hours - 1)
            .query((rs, row) -> new Hour(rs.getTimestamp("hour").toInstant(), rs.getLong("tokens")))
            .list();
    }

    /**
     * A tenant's usage right now, counted like admission counts it.
     * @param tenantId the tenant
     * @param zone its zone
     * @return its usage
     */
    public TenantUsage current(UUID tenantId, ZoneId zone) {
        Instant now = this.jdbc.sql("select now()").query(Timestamp.class).single().toInstant();
        Periods p = Periods.at(now, zone);
        return this.jdbc.sql("""
                with booked as (
                    select
                        coalesce(sum(input_tokens + reasoning_tokens + output_tokens) filter (where day >= :day), 0)
                            as td,
                        coalesce(sum(input_tokens + reasoning_tokens + output_tokens) filter (where day >= :week), 0)
                            as tw,
                        coalesce(sum(input_tokens + reasoning_tokens + output_tokens) filter (where day >= :month), 0)
                            as tm,
                        coalesce(sum(cost) filter (where day >= :day), 0) as cd,
                        coalesce(sum(cost) filter (where day >= :week), 0) as cw,
                        coalesce(sum(cost) filter (where day >= :month), 0) as cm
                    from n4j_usage_daily where tenant_id = :tenant and day >= :earliest),
                held as (
                    select count(*) as n, coalesce(sum(reserved_tokens), 0) as tokens,
                        coalesce(sum(reserved_cost), 0) as cost
                    from n4j_reservation where tenant_id = :tenant),
                minute as (
                    select count(*) as n,
                        coalesce(sum(coalesce(input_tokens + reasoning_tokens + output_tokens, reserved_tokens)), 0)
                            as tokens
                    from n4j_request_audit
                    where tenant_id = :tenant and started_at > :minuteAgo and outcome <> 'REJECTED')
                select booked.*, held.n as held_n, held.tokens as held_tokens, held.cost as held_cost,
                    minute.n as minute_n, minute.tokens as minute_tokens
                from booked, held, minute
                """)
            .param("day", p.day())
            .param("week", p.weekStart())
            .param("month", p.monthStart())
            .param("earliest", p.earliestStart())
            .param("tenant", tenantId)
            .param("minuteAgo", Timestamp.from(now.minusSeconds(60)))
            .query((rs, row) -> {
                long heldTokens = rs.getLong("held_tokens");
                BigDecimal heldCost = rs.getBigDecimal("held_cost");
                return new TenantUsage(rs.getLong("td") + heldTokens, rs.getLong("tw") + heldTokens,
                        rs.getLong("tm") + heldTokens, rs.getBigDecimal("cd").add(heldCost),
                        rs.getBigDecimal("cw").add(heldCost), rs.getBigDecimal("cm").add(heldCost),
                        rs.getLong("minute_n"), rs.getLong("minute_tokens"), rs.getLong("held_n"));
            })
            .single();
    }

}
