package io.nemotron4j.spring.admin;

import java.math.BigDecimal;

import io.nemotron4j.spring.governance.TenantLimits;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's limits as the admin API reads and writes them; every field optional, {@code null} meaning no limit
 * (prices: zero; thinking: allowed).
 *
 * @param tokensPerDay tokens per tenant-local day
 * @param tokensPerWeek tokens per ISO week
 * @param tokensPerMonth tokens per calendar month
 * @param costPerDay cost per day
 * @param costPerWeek cost per week
 * @param costPerMonth cost per month
 * @param priceInputPer1k price of 1000 prompt tokens
 * @param priceReasoningPer1k price of 1000 reasoning tokens
 * @param priceOutputPer1k price of 1000 answer tokens
 * @param requestsPerMinute requests started in any sliding minute
 * @param tokensPerMinute tokens of requests started in any sliding minute
 * @param concurrentRequests requests running at once
 * @param maxTokensPerRequest largest {@code maxTokens} of one request
 * @param thinkingAllowed whether requests may reason
 * @param thinkingDefaultBudget reasoning budget of requests that ask for none
 * @param thinkingMaxBudget largest reasoning budget a request may ask for
 * @since 0.1.0
 */
public record LimitsBody(@Nullable Long tokensPerDay, @Nullable Long tokensPerWeek, @Nullable Long tokensPerMonth,
        @Nullable BigDecimal costPerDay, @Nullable BigDecimal costPerWeek, @Nullable BigDecimal costPerMonth,
        @Nullable BigDecimal priceInputPer1k, @Nullable BigDecimal priceReasoningPer1k,
        @Nullable BigDecimal priceOutputPer1k, @Nullable Integer requestsPerMinute, @Nullable Long tokensPerMinute,
        @Nullable Integer concurrentRequests, @Nullable Integer maxTokensPerRequest, @Nullable Boolean thinkingAllowed,
        @Nullable Integer thinkingDefaultBudget, @Nullable Integer thinkingMaxBudget) {

    /**
     * The API's view of stored limits.
     * @param limits the limits
     * @return the body
     */
    static LimitsBody of(TenantLimits limits) {
        return new LimitsBody(limits.tokensPerDay(), limits.tokensPerWeek(), limits.tokensPerMonth(),
                limits.costPerDay(), limits.costPerWeek(), limits.costPerMonth(), limits.priceInputPer1k(),
                limits.priceReasoningPer1k(), limits.priceOutputPer1k(), limits.requestsPerMinute(),
                limits.tokensPerMinute(), limits.concurrentRequests(), limits.maxTokensPerRequest(),
                limits.thinkingAllowed(), limits.thinkingDefaultBudget(), limits.thinkingMaxBudget());
    }

    /**
     * Checks every field and converts.
     * @param field the path of this object in the request, for error messages ({@code ""} at the top)
     * @return the limits
     * @throws InvalidInputException naming every field out of range
     */
    TenantLimits toLimits(String field) {
        Checks checks = new Checks(field);
        checks.range("tokensPerDay", this.tokensPerDay, 0, Checks.MAX_TOKENS);
        checks.range("tokensPerWeek", this.tokensPerWeek, 0, Checks.MAX_TOKENS);
        checks.range("tokensPerMonth", this.tokensPerMonth, 0, Checks.MAX_TOKENS);
        checks.money("costPerDay", this.costPerDay);
        checks.money("costPerWeek", this.costPerWeek);
        checks.money("costPerMonth", this.costPerMonth);
        checks.money("priceInputPer1k", this.priceInputPer1k);
        checks.money("priceReasoningPer1k", this.priceReasoningPer1k);
        checks.money("priceOutputPer1k", this.priceOutputPer1k);
        checks.range("requestsPerMinute", this.requestsPerMinute, 0, Checks.MAX_COUNT);
        checks.range("tokensPerMinute", this.tokensPerMinute, 0, Checks.MAX_TOKENS);
        checks.range("concurrentRequests", this.concurrentRequests, 0, Checks.MAX_COUNT);
        checks.range("maxTokensPerRequest", this.maxTokensPerRequest, 1, Checks.MAX_COUNT);
        checks.range("thinkingDefaultBudget", this.thinkingDefaultBudget, 0, Checks.MAX_COUNT);
        checks.range("thinkingMaxBudget", this.thinkingMaxBudget, 0, Checks.MAX_COUNT);
        if (this.thinkingDefaultBudget != null && this.thinkingMaxBudget != null
                && this.thinkingDefaultBudget > this.thinkingMaxBudget) {
            checks.fail("thinkingDefaultBudget", "must be <= thinkingMaxBudget");
        }
        checks.throwIfAny();
        return new TenantLimits(this.tokensPerDay, this.tokensPerWeek, this.tokensPerMonth, this.costPerDay,
                this.costPerWeek, this.costPerMonth, orZero(this.priceInputPer1k), orZero(this.priceReasoningPer1k),
                orZero(this.priceOutputPer1k), this.requestsPerMinute, this.tokensPerMinute, this.concurrentRequests,
                this.maxTokensPerRequest, !Boolean.FALSE.equals(this.thinkingAllowed), this.thinkingDefaultBudget,
                this.thinkingMaxBudget);
    }

    private static BigDecimal orZero(@Nullable BigDecimal price) {
        return (price != null) ? price : BigDecimal.ZERO;
    }

}
