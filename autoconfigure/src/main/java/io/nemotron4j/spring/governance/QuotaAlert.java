package io.nemotron4j.spring.governance;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A tenant's booked usage of a period reached a configured share of one of its period limits. Raised once per
 * tenant, limit, period and threshold, however many replicas settle the tenant's requests.
 *
 * @param id the alert's id, the same in every notification of it (a webhook receiver can drop redeliveries by it)
 * @param tenantId the tenant
 * @param tenantName the tenant's name when the alert was raised
 * @param limit the limit: {@code TOKENS_PER_DAY/WEEK/MONTH} or {@code COST_PER_DAY/WEEK/MONTH}
 * @param thresholdPercent the threshold that was reached, in percent of the limit
 * @param periodStart the tenant-local first day of the period
 * @param periodEnds when the period ends, and with it the usage that counts against the limit
 * @param limitValue the limit, in tokens or in the currency of the tenant's prices
 * @param used the period's booked usage after the settlement that reached the threshold
 * @param requestId the request whose settlement reached the threshold
 * @param raisedAt when it was raised (database clock)
 * @since 0.1.0
 */
public record QuotaAlert(UUID id, UUID tenantId, String tenantName, Limit limit, int thresholdPercent,
        LocalDate periodStart, Instant periodEnds, BigDecimal limitValue, BigDecimal used, UUID requestId,
        Instant raisedAt) {

    /** @return a one-line description for logs */
    public String describe() {
        return "tenant '" + this.tenantName + "' (" + this.tenantId + ") reached " + this.thresholdPercent + "% of "
                + this.limit + ": " + this.used.stripTrailingZeros().toPlainString() + " of "
                + this.limitValue.stripTrailingZeros().toPlainString() + " in the period from " + this.periodStart
                + " (resets at " + this.periodEnds + ")";
    }

}
