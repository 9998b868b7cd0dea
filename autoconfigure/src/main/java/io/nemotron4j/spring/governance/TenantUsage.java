package io.nemotron4j.spring.governance;

import java.math.BigDecimal;

/**
 * A tenant's usage right now: tokens and cost booked in its current day, week and month (plus what running requests
 * hold), what started in the last minute, and how many requests run.
 *
 * @param tokensToday tokens booked or held today (tenant-local day)
 * @param tokensThisWeek tokens booked or held this ISO week
 * @param tokensThisMonth tokens booked or held this calendar month
 * @param costToday cost booked or held today
 * @param costThisWeek cost booked or held this week
 * @param costThisMonth cost booked or held this month
 * @param requestsLastMinute requests admitted in the last minute
 * @param tokensLastMinute tokens used or held by the requests admitted in the last minute
 * @param activeRequests requests admitted and not yet settled
 * @since 0.1.0
 */
public record TenantUsage(long tokensToday, long tokensThisWeek, long tokensThisMonth, BigDecimal costToday,
        BigDecimal costThisWeek, BigDecimal costThisMonth, long requestsLastMinute, long tokensLastMinute,
        long activeRequests) {
}
