package io.nemotron4j.spring.governance;

import java.util.UUID;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Who a model request is for: the tenant that pays, and for the audit the key or principal it came with, the
 * client's address and the trace id. Bound for the duration of a piece of work with {@link #callAs}, and read by
 * {@link GovernedChatModel} when a request starts.
 *
 * @param tenantId the tenant
 * @param apiKeyId the API key the request came with, if any
 * @param principal the host application's principal, if any
 * @param clientAddress the client's address, if known
 * @param traceId the trace id, if any
 * @since 0.1.0
 */
public record Caller(UUID tenantId, @Nullable UUID apiKeyId, @Nullable String principal,
        @Nullable String clientAddress, @Nullable String traceId) {

    // A scoped value rather than a thread local: bound for exactly the extent of callAs, inherited by structured
    // concurrency, and impossible to leak into the next request served by a pooled thread.
    private static final ScopedValue<Caller> CURRENT = ScopedValue.newInstance();

    /**
     * A caller known only by its tenant.
     * @param tenantId the tenant
     * @return the caller
     */
    public static Caller tenant(UUID tenantId) {
        return new Caller(tenantId, null, null, null, null);
    }

    /**
     * Runs work on behalf of this caller.
     * @param <T> the work's result type
     * @param work the work
     * @return what the work returned
     */
    public <T> T callAs(Supplier<T> work) {
        return ScopedValue.where(CURRENT, this).call(work::get);
    }

    /**
     * Runs work that may throw checked exceptions (a servlet filter chain, say) on behalf of this caller.
     * @param <T> the work's result type
     * @param <X> what the work may throw
     * @param work the work
     * @return what the work returned
     * @throws X what the work threw
     */
    public <T, X extends Throwable> T callChecked(ScopedValue.CallableOp<T, X> work) throws X {
        return ScopedValue.where(CURRENT, this).call(work);
    }

    /** @return the caller bound by the innermost enclosing {@link #callAs}, or {@code null} outside of one */
    public static @Nullable Caller current() {
        return CURRENT.isBound() ? CURRENT.get() : null;
    }

}
