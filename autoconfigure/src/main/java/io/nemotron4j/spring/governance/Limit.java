package io.nemotron4j.spring.governance;

/**
 * The limit that refused a request; see {@link AdmissionRejectedException#limit()}.
 *
 * @since 0.1.0
 */
public enum Limit {

    /** The tenant is disabled. */
    TENANT_DISABLED,
    /** The request asked for more tokens than one request may generate. */
    MAX_TOKENS_PER_REQUEST,
    /** The request asked for reasoning, which the tenant may not use. */
    THINKING_NOT_ALLOWED,
    /** The request asked for a larger thinking budget than the tenant's maximum. */
    THINKING_BUDGET,
    /** The tenant already runs as many requests as it may run at once. */
    CONCURRENT_REQUESTS,
    /** Requests started in the last minute. */
    REQUESTS_PER_MINUTE,
    /** Tokens used or held by requests started in the last minute. */
    TOKENS_PER_MINUTE,
    /** Tokens of the tenant's current local day. */
    TOKENS_PER_DAY,
    /** Tokens of the tenant's current ISO week (Monday to Sunday). */
    TOKENS_PER_WEEK,
    /** Tokens of the tenant's current calendar month. */
    TOKENS_PER_MONTH,
    /** Cost of the tenant's current local day. */
    COST_PER_DAY,
    /** Cost of the tenant's current ISO week. */
    COST_PER_WEEK,
    /** Cost of the tenant's current calendar month. */
    COST_PER_MONTH

}
