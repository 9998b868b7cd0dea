package io.nemotron4j.spring.governance;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Finds the period limits whose booked usage reached an alert threshold and records each (tenant, limit, period,
 * threshold) in {@code n4j_quota_alert}. Runs inside the settlement transaction, after the usage is booked; the
 * table's primary key lets only the first settlement that finds a threshold reached raise its alert, on whichever
 * replica it runs.
 *
 * <p>A threshold counts as reached when the period's booked usage is at or above it, not only when one settlement
 * steps over it: a threshold configured, or a limit lowered, in the middle of a period still alerts at the next
 * settlement.
 */
final class QuotaAlertDetector {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final JdbcClient jdbc;

    private final List<Integer> thresholds;

    /**
     * @param jdbc the governance database
     * @param thresholds percentages of a limit, each 1 to 100
     */
    QuotaAlertDetector(JdbcClient jdbc, List<Integer> thresholds) {
        SortedSet<Integer> sorted = new TreeSet<>();
        for (Integer threshold : thresholds) {
            if (threshold == null || threshold < 1 || threshold > 100) {
                throw new IllegalArgumentException(
                        "alert thresholds are percentages of a limit from 1 to 100, got " + thresholds);
            }
            sorted.add(threshold);
        }
        this.jdbc = jdbc;
        this.thresholds = List.copyOf(sorted);
    }

    /**
     * Records and returns the alerts that a settlement booked on {@code day} raises.
     * @param tenantId the tenant
     * @param tenantName the tenant's name, for the alert
     * @param zone the tenant's zone
     * @param limits the tenant's limits
     * @param day the tenant-local day the usage was booked on
     * @param requestId the settled request
     * @return the alerts raised now, empty when none
     */
    List<QuotaAlert> raise(UUID tenantId, String tenantName, ZoneId zone, TenantLimits limits, LocalDate day,
            UUID requestId) {
        if (this.thresholds.isEmpty() || !limits.hasPeriodLimits()) {
            return List.of();
        }
        Periods periods = Periods.of(day, zone);
        BookedUsage booked = BookedUsage.of(this.jdbc, tenantId, periods);
        List<Candidate> reached = new ArrayList<>();
        reached(reached, Limit.TOKENS_PER_DAY, limits.tokensPerDay(), booked.tokensDay(), periods.day(),
                periods.dayEnds());
        reached(reached, Limit.TOKENS_PER_WEEK, limits.tokensPerWeek(), booked.tokensWeek(), periods.weekStart(),
                periods.weekEnds());
        reached(reached, Limit.TOKENS_PER_MONTH, limits.tokensPerMonth(), booked.tokensMonth(),
                periods.monthStart(), periods.monthEnds());
        reached(reached, Limit.COST_PER_DAY, limits.costPerDay(), booked.costDay(), periods.day(),
                periods.dayEnds());
        reached(reached, Limit.COST_PER_WEEK, limits.costPerWeek(), booked.costWeek(), periods.weekStart(),
                periods.weekEnds());
        reached(reached, Limit.COST_PER_MONTH, limits.costPerMonth(), booked.costMonth(), periods.monthStart(),
                periods.monthEnds());
        if (reached.isEmpty()) {
            return List.of();
        }
        return record(tenantId, tenantName, requestId, reached);
    }

    private void reached(List<Candidate> reached, Limit limit, @Nullable Number value, Number used,
            LocalDate periodStart, Instant periodEnds) {
        if (value == null) {
            return;
        }
        BigDecimal limitValue = new BigDecimal(value.toString());
        // A limit of zero blocks the tenant; it is not a budget to warn about.
        if (limitValue.signum() <= 0) {
            return;
        }
        BigDecimal usedValue = new BigDecimal(used.toString());
        for (int threshold : this.thresholds) {
            // used / limit >= threshold / 100, exactly, without dividing.
            if (usedValue.multiply(HUNDRED).compareTo(limitValue.multiply(BigDecimal.valueOf(threshold))) < 0) {
                return;
            }
            reached.add(new Candidate(UUID.randomUUID(), limit, threshold, periodStart, periodEnds, limitValue,
                    usedValue));
        }
    }

    /** One round trip for every reached threshold; the primary key drops those raised before. */
    private List<QuotaAlert> record(UUID tenantId, String tenantName, UUID requestId, List<Candidate> reached) {
        StringBuilder sql = new StringBuilder("""
                insert into n4j_quota_alert (tenant_id, limit_name, period_start, threshold_percent, id, raised_at,
                    limit_value, used, request_id) values
                """);
        List<Object> params = new ArrayList<>();
        for (Candidate candidate : reached) {
            sql.append(params.isEmpty() ? "" : ", ").append("(?, ?, ?, ?, ?, now(), ?, ?, ?)");
            params.addAll(List.of(tenantId, candidate.limit().name(), candidate.periodStart(), candidate.threshold(),
                    candidate.id(), candidate.limitValue(), candidate.used(), requestId));
        }
        sql.append(" on conflict do nothing returning id, raised_at");
        Map<UUID, Instant> inserted = new HashMap<>();
        this.jdbc.sql(sql.toString())
            .params(params)
            .query((rs, row) -> inserted.put(rs.getObject("id", UUID.class), rs.getTimestamp("raised_at").toInstant()))
            .list();
        List<QuotaAlert> alerts = new ArrayList<>(inserted.size());
        for (Candidate c : reached) {
            Instant raisedAt = inserted.get(c.id());
            if (raisedAt != null) {
                alerts.add(new QuotaAlert(c.id(), tenantId, tenantName, c.limit(), c.threshold(), c.periodStart(),
                        c.periodEnds(), c.limitValue(), c.used(), requestId, raisedAt));
            }
        }
        return alerts;
    }

    private record Candidate(UUID id, Limit limit, int threshold, LocalDate periodStart, Instant periodEnds,
            BigDecimal limitValue, BigDecimal used) {
    }

}
