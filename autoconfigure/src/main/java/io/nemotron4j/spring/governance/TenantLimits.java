package io.nemotron4j.spring.governance;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;

/**
 * The limits of one tenant. Every limit is optional: {@code null} means "no limit".
 *
 * @param tokensPerDay tokens per tenant-local day
 * @param tokensPerWeek tokens per ISO week
 * @param tokensPerMonth tokens per calendar month
 * @param costPerDay cost per day, in the currency of the prices
 * @param costPerWeek cost per week
 * @param costPerMonth cost per month
 * @param priceInputPer1k price of 1000 prompt tokens
 * @param priceReasoningPer1k price of 1000 reasoning tokens
 * @param priceOutputPer1k price of 1000 answer tokens
 * @param requestsPerMinute requests started in any sliding minute
 * @param tokensPerMinute tokens of requests started in any sliding minute
 * @param concurrentRequests requests running at once
 * @param maxTokensPerRequest largest {@code maxTokens} one request may ask for
 * @param thinkingAllowed whether requests may reason
 * @param thinkingDefaultBudget reasoning budget for requests that ask for none
 * @param thinkingMaxBudget largest reasoning budget a request may ask for
 * @since 0.1.0
 */
public record TenantLimits(@Nullable Long tokensPerDay, @Nullable Long tokensPerWeek, @Nullable Long tokensPerMonth,
        @Nullable BigDecimal costPerDay, @Nullable BigDecimal costPerWeek, @Nullable BigDecimal costPerMonth,
        BigDecimal priceInputPer1k, BigDecimal priceReasoningPer1k, BigDecimal priceOutputPer1k,
        @Nullable Integer requestsPerMinute, @Nullable Long tokensPerMinute, @Nullable Integer concurrentRequests,
        @Nullable Integer maxTokensPerRequest, boolean thinkingAllowed, @Nullable Integer thinkingDefaultBudget,
        @Nullable Integer thinkingMaxBudget) {

    /** No limits at all, zero prices, thinking allowed. */
    public static final TenantLimits NONE = new TenantLimits(null, null, null, null, null, null, BigDecimal.ZERO,
            BigDecimal.ZERO, BigDecimal.ZERO, null, null, null, null, true, null, null);

    /**
     * Checks that every limit is non-negative and the thinking budgets fit together.
     * @throws IllegalArgumentException naming the first value that is out of range
     */
    public TenantLimits {
        nonNegative("tokensPerDay", tokensPerDay);
        nonNegative("tokensPerWeek", tokensPerWeek);
        nonNegative("tokensPerMonth", tokensPerMonth);
        nonNegative("costPerDay", costPerDay);
        nonNegative("costPerWeek", costPerWeek);
        nonNegative("costPerMonth", costPerMonth);
        nonNegative("priceInputPer1k", priceInputPer1k);
        nonNegative("priceReasoningPer1k", priceReasoningPer1k);
        nonNegative("priceOutputPer1k", priceOutputPer1k);
        nonNegative("requestsPerMinute", requestsPerMinute);
        nonNegative("tokensPerMinute", tokensPerMinute);
        nonNegative("concurrentRequests", concurrentRequests);
        nonNegative("thinkingDefaultBudget", thinkingDefaultBudget);
        nonNegative("thinkingMaxBudget", thinkingMaxBudget);
        if (maxTokensPerRequest != null && maxTokensPerRequest <= 0) {
            throw new IllegalArgumentException("maxTokensPerRequest must be > 0, was " + maxTokensPerRequest);
        }
        if (thinkingDefaultBudget != null && thinkingMaxBudget != null && thinkingDefaultBudget > thinkingMaxBudget) {
            throw new IllegalArgumentException("thinkingDefaultBudget " + thinkingDefaultBudget
                    + " is larger than thinkingMaxBudget " + thinkingMaxBudget);
        }
    }

    private static void nonNegative(String name, @Nullable Number value) {
        if (value != null && new BigDecimal(value.toString()).signum() < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
    }

    /**
     * Limits with only a daily token quota.
     * @param tokens the quota
     * @return the limits, everything else unlimited
     */
    public static TenantLimits tokensPerDay(long tokens) {
        return NONE.withTokensPerDay(tokens);
    }

    /**
     * A copy with another daily token quota.
     * @param tokens the quota, or {@code null} for none
     * @return the copy
     */
    public TenantLimits withTokensPerDay(@Nullable Long tokens) {
        return new TenantLimits(tokens, this.tokensPerWeek, this.tokensPerMonth, this.costPerDay, this.costPerWeek,
                this.costPerMonth, this.priceInputPer1k, this.priceReasoningPer1k, this.priceOutputPer1k,
                this.requestsPerMinute, this.tokensPerMinute, this.concurrentRequests, this.maxTokensPerRequest,
                this.thinkingAllowed, this.thinkingDefaultBudget, this.thinkingMaxBudget);
    }

    /** @return whether any day, week or month quota (tokens or cost) is set */
    boolean hasPeriodLimits() {
        return this.tokensPerDay != null || this.tokensPerWeek != null || this.tokensPerMonth != null
                || this.costPerDay != null || this.costPerWeek != null || this.costPerMonth != null;
    }

    /**
     * The cost of some tokens at these prices.
     * @param usage the tokens
     * @return the cost
     */
    public BigDecimal cost(Usage usage) {
        return per1k(this.priceInputPer1k, usage.inputTokens())
            .add(per1k(this.priceReasoningPer1k, usage.reasoningTokens()))
            .add(per1k(this.priceOutputPer1k, usage.outputTokens()));
    }

    /**
     * The most a request can cost: its prompt plus {@code maxTokens} at the dearer of the reasoning and answer
     * prices, because admission cannot know how the generated tokens will split.
     * @param promptTokens prompt tokens
     * @param maxTokens most generated tokens
     * @return the worst-case cost
     */
    BigDecimal worstCaseCost(long promptTokens, long maxTokens) {
        return per1k(this.priceInputPer1k, promptTokens)
            .add(per1k(this.priceReasoningPer1k.max(this.priceOutputPer1k), maxTokens));
    }

    private static BigDecimal per1k(BigDecimal price, long tokens) {
        return price.multiply(BigDecimal.valueOf(tokens)).movePointLeft(3);
    }

}
