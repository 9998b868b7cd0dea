package io.nemotron4j.spring.governance;

import java.math.BigDecimal;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A tenant's settled usage in the day, week and month of {@link Periods}, summed from at most 31 daily rows.
 *
 * @param tokensDay tokens booked on the day
 * @param tokensWeek tokens booked in the week
 * @param tokensMonth tokens booked in the month
 * @param costDay cost booked on the day
 * @param costWeek cost booked in the week
 * @param costMonth cost booked in the month
 */
record BookedUsage(long tokensDay, long tokensWeek, long tokensMonth, BigDecimal costDay, BigDecimal costWeek,
        BigDecimal costMonth) {

    static BookedUsage of(JdbcClient jdbc, UUID tenantId, Periods periods) {
        return jdbc.sql("""
                select
                    coalesce(sum(input_tokens + reasoning_tokens + output_tokens) filter (where day >= :day), 0) as td,
                    coalesce(sum(input_tokens + reasoning_tokens + output_tokens) filter (where day >= :week), 0) as tw,
                    coalesce(sum(input_tokens + reasoning_tokens + output_tokens) filter (where day >= :month), 0)
                        as tm,
                    coalesce(sum(cost) filter (where day >= :day), 0) as cd,
                    coalesce(sum(cost) filter (where day >= :week), 0) as cw,
                    coalesce(sum(cost) filter (where day >= :month), 0) as cm
                from n4j_usage_daily where tenant_id = :tenant and day >= :earliest and day <= :day
                """)
            .param("day", periods.day())
            .param("week", periods.weekStart())
            .param("month", periods.monthStart())
            .param("earliest", periods.earliestStart())
            .param("tenant", tenantId)
            .query((rs, row) -> new BookedUsage(rs.getLong("td"), rs.getLong("tw"), rs.getLong("tm"),
                    rs.getBigDecimal("cd"), rs.getBigDecimal("cw"), rs.getBigDecimal("cm")))
            .single();
    }

}
