package io.nemotron4j.spring.governance;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A request refused at admission: says which {@link Limit}, the limit's value, what is already used or held, what
 * the request asked for, and when the limit frees up. The refusal is already in the request audit when this is
 * thrown.
 *
 * @since 0.1.0
 */
public class AdmissionRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final UUID requestId;

    private final UUID tenantId;

    private final Limit limit;

    private final BigDecimal limitValue;

    private final BigDecimal current;

    private final BigDecimal requested;

    private final transient @Nullable Instant resetsAt;

    /**
     * Creates the exception.
     * @param requestId the id of the audit row that records the refusal
     * @param tenantId the tenant
     * @param limit the limit that refused the request
     * @param limitValue the limit's configured value
     * @param current what is already used or held against the limit
     * @param requested what the request asked for against the limit
     * @param resetsAt when the limit frees up (start of the next period, or when the oldest request leaves the
     * one-minute window); {@code null} when no instant is known (concurrency, per-request limits)
     */
    public AdmissionRejectedException(UUID requestId, UUID tenantId, Limit limit, BigDecimal limitValue,
            BigDecimal current, BigDecimal requested, @Nullable Instant resetsAt) {
        super(message(limit, limitValue, current, requested, resetsAt));
        this.requestId = requestId;
        this.tenantId = tenantId;
        this.limit = limit;
        this.limitValue = limitValue;
        this.current = current;
        this.requested = requested;
        this.resetsAt = resetsAt;
    }

    private static String message(Limit limit, BigDecimal limitValue, BigDecimal current, BigDecimal requested,
            @Nullable Instant resetsAt) {
        return "request refused by limit " + limit + ": limit " + limitValue.toPlainString() + ", in use "
                + current.toPlainString() + ", requested " + requested.toPlainString()
                + ((resetsAt != null) ? ", frees up at " + resetsAt : "");
    }

    /** @return the id of the audit row that records the refusal */
    public UUID requestId() {
        return this.requestId;
    }

    /** @return the tenant whose request was refused */
    public UUID tenantId() {
        return this.tenantId;
    }

    /** @return the limit that refused the request */
    public Limit limit() {
        return this.limit;
    }

    /** @return the configured value of the limit */
    public BigDecimal limitValue() {
        return this.limitValue;
    }

    /** @return what was already used or held against the limit */
    public BigDecimal current() {
        return this.current;
    }

    /** @return what the request asked for against the limit */
    public BigDecimal requested() {
        return this.requested;
    }

    /** @return when the limit frees up, or {@code null} when no instant is known */
    public @Nullable Instant resetsAt() {
        return this.resetsAt;
    }

}
