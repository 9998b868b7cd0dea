package io.nemotron4j.spring.governance;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Admission and settlement of model requests against a tenant's limits, in PostgreSQL.
 *
 * <p>Each admission and each settlement is one transaction that first locks the tenant's row
 * ({@code SELECT ... FOR NO KEY UPDATE}). The lock is held by the database, so it serialises the decisions of one
 * tenant across every replica that shares the database, and the check ("is there room?") and the increment
 * ("hold these tokens") can never interleave with another request's: the check-then-increment race that lets
 * gateways overspend under concurrency cannot happen. {@code NO KEY UPDATE} rather than {@code UPDATE} so that the
 * foreign keys of the reservation and audit rows written in the same transactions do not conflict with it.
 *
 * <p>Admission reserves {@code promptTokens + maxTokens} (and their worst-case cost); generation must stop at
 * {@link Admission#maxTokens()}, so a hard limit cannot be exceeded. Settlement books the actual usage on the
 * tenant-local day the request was admitted and drops the reservation. A reservation whose lease ran out is
 * released by {@link #sweepExpiredLeases()} and its request marked {@link Outcome#ABANDONED}.
 *
 * <p>Whichever of these makes an audit row final (a refusal, a settlement, a sweep) also appends it to its tenant's
 * hash chain ({@link RequestAuditChain}) in the same transaction, under the same tenant lock: each tenant's chain
 * gets one order across replicas without any lock wider than the tenant.
 *
 * <p>Transactions always run on their own connection ({@code REQUIRES_NEW}): the caller's rollback must not
 * erase an audit row or release a reservation that generation is using.
 *
 * @since 0.1.0
 */
public class GovernanceService {

    private static final Log logger = LogFactory.getLog(GovernanceService.class);

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final Duration lease;

    private final QuotaAlertDetector alerts;

    private final QuotaAlertListener alertListener;

    /**
     * Creates the service without soft-limit alerts.
     * @param jdbc a client on the governance database (whose default schema holds the governance tables)
     * @param transactionManager a transaction manager for the same database
     * @param lease how long a reservation lives without settlement or renewal
     */
    public GovernanceService(JdbcClient jdbc, PlatformTransactionManager transactionManager, Duration lease) {
        this(jdbc, transactionManager, lease, List.of(), QuotaAlertListener.NONE);
    }

    /**
     * Creates the service.
     * @param jdbc a client on the governance database (whose default schema holds the governance tables)
     * @param transactionManager a transaction manager for the same database
     * @param lease how long a reservation lives without settlement or renewal
     * @param alertThresholds percentages (1 to 100) of each day, week and month limit whose reaching raises a
     * {@link QuotaAlert}; empty for none
     * @param alertListener told about each alert after it is raised (it is also logged as a warning)
     */
    public GovernanceService(JdbcClient jdbc, PlatformTransactionManager transactionManager, Duration lease,
            List<Integer> alertThresholds, QuotaAlertListener alertListener) {
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive, was " + lease);
        }
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.lease = lease;
        this.alerts = new QuotaAlertDetector(jdbc, alertThresholds);
        this.alertListener = alertListener;
    }

    /** @return how long a reservation lives without settlement or renewal */
    public Duration lease() {
        return this.lease;
    }

    /**
     * Admits a request: checks every limit of its tenant, reserves its tokens and cost, and writes its audit row
     * ({@link Outcome#STARTED}), all in one transaction. A refusal is audited too ({@link Outcome#REJECTED}) and
     * then thrown.
     * @param request the request
     * @return the admission, to pass to {@link #settle}
     * @throws AdmissionRejectedException if a limit refuses the request
     * @throws UnknownTenantException if the tenant does not exist
     */
    public Admission admit(AdmissionRequest request) {
        Decision decision = this.transactions.execute((status) -> decide(request));
        if (decision == null) {
            throw new IllegalStateException("admission transaction returned nothing");
        }
        if (decision.rejection() != null) {
            throw decision.rejection();
        }
        if (decision.admission() == null) {
            throw new IllegalStateException("admission transaction decided nothing");
        }
        return decision.admission();
    }

    private Decision decide(AdmissionRequest request) {
        TenantRow tenant = this.jdbc.sql("""
                select t.enabled, t.time_zone, t.content_policy, t.audit_chain_seq, t.audit_chain_head, now() as now,
                    l.*
                from n4j_tenant t left join n4j_tenant_limits l on l.tenant_id = t.id
                where t.id = ? for no key update of t
                """)
            .param(request.tenantId())
            .query((rs, row) -> new TenantRow(rs.getBoolean("enabled"), ZoneId.of(rs.getString("time_zone")),
                    ContentPolicy.valueOf(rs.getString("content_policy")), rs.getTimestamp("now").toInstant(),
                    Tenants.readLimits(rs), chainHead(rs)))
            .optional()
            .orElseThrow(() -> new UnknownTenantException(request.tenantId()));
        UUID requestId = UUID.randomUUID();
        Instant now = tenant.now();
        TenantLimits limits = tenant.limits();
        long reservedTokens = (long) request.promptTokens() + request.maxTokens();
        BigDecimal reservedCost = limits.worstCaseCost(request.promptTokens(), request.maxTokens());

        Refusal refusal = checkRequest(tenant, request);
        Integer thinkingBudget = effectiveThinkingBudget(request, limits);
        if (refusal == null) {
            refusal = checkUsage(request.tenantId(), now, tenant.zone(), limits, reservedTokens, reservedCost);
        }
        if (refusal != null) {
            // A refusal is final at once, so it joins the tenant's chain now.
            RequestAudit.Row rejected = admittedRow(requestId, now, request, reservedTokens, thinkingBudget,
                    Outcome.REJECTED, refusal);
            RequestAuditChain.Link link = tenant.chain().append(rejected);
            insertAudit(rejected, link);
            return new Decision(null, new AdmissionRejectedException(requestId, request.tenantId(), refusal.limit(),
                    refusal.limitValue(), refusal.current(), refusal.requested(), refusal.resetsAt()));
        }
        Instant leaseUntil = now.plus(this.lease);
        LocalDate day = LocalDate.ofInstant(now, tenant.zone());
        this.jdbc.sql("""
                insert into n4j_reservation (request_id, tenant_id, started_at, lease_until, day, reserved_tokens,
                    reserved_cost) values (?, ?, ?, ?, ?, ?, ?)
                """)
            .params(requestId, request.tenantId(), Timestamp.from(now), Timestamp.from(leaseUntil), day,
                    reservedTokens, reservedCost)
            .update();
        insertAudit(admittedRow(requestId, now, request, reservedTokens, thinkingBudget, Outcome.STARTED, null),
                null);
        return new Decision(new Admission(requestId, request.tenantId(), now, request.maxTokens(), thinkingBudget,
                reservedTokens, leaseUntil, tenant.contentPolicy()), null);
    }

    /** Limits that depend only on the request itself. */
    private static @Nullable Refusal checkRequest(TenantRow tenant, AdmissionRequest request) {
        TenantLimits limits = tenant.limits();
        if (!tenant.enabled()) {
            return new Refusal(Limit.TENANT_DISABLED, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ONE, null);
        }
        if (limits.maxTokensPerRequest() != null && request.maxTokens() > limits.maxTokensPerRequest()) {
            return new Refusal(Limit.MAX_TOKENS_PER_REQUEST, big(limits.maxTokensPerRequest()), BigDecimal.ZERO,
                    big(request.maxTokens()), null);
        }
        if (request.thinking() && !limits.thinkingAllowed()) {
            return new Refusal(Limit.THINKING_NOT_ALLOWED, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ONE, null);
        }
        Integer max = limits.thinkingMaxBudget();
        Integer asked = request.thinkingBudget();
        // -1 asks for "no limit", which exceeds any maximum.
        if (request.thinking() && max != null && asked != null && (asked < 0 || asked > max)) {
            return new Refusal(Limit.THINKING_BUDGET, big(max), BigDecimal.ZERO, big(asked), null);
        }
        return null;
    }

    private static @Nullable Integer effectiveThinkingBudget(AdmissionRequest request, TenantLimits limits) {
        if (!request.thinking()) {
            return null;
        }
        if (request.thinkingBudget() != null) {
            return request.thinkingBudget();
        }
        return (limits.thinkingDefaultBudget() != null) ? limits.thinkingDefaultBudget() : limits.thinkingMaxBudget();
    }

    /** Limits that depend on what the tenant already used or holds; the tenant row is locked. */
    private @Nullable Refusal checkUsage(UUID tenantId, Instant now, ZoneId zone, TenantLimits limits,
            long reservedTokens, BigDecimal reservedCost) {
        boolean periods = limits.hasPeriodLimits();
        boolean perMinute = limits.requestsPerMinute() != null || limits.tokensPerMinute() != null;
        if (!periods && !perMinute && limits.concurrentRequests() == null) {
            return null;
        }
        Held held = this.jdbc.sql("""
                select count(*) as n, coalesce(sum(reserved_tokens), 0) as tokens,
                    coalesce(sum(reserved_cost), 0) as cost
                from n4j_reservation where tenant_id = ?
                """)
            .param(tenantId)
            .query((rs, row) -> new Held(rs.getLong("n"), rs.getLong("tokens"), rs.getBigDecimal("cost")))
            .single();
        if (limits.concurrentRequests() != null && held.count() >= limits.concurrentRequests()) {
            return new Refusal(Limit.CONCURRENT_REQUESTS, big(limits.concurrentRequests()), big(held.count()),
                    BigDecimal.ONE, null);
        }
        if (perMinute) {
            // A sliding minute over the request audit: refused requests do not count, so being refused does not
            // itself keep a tenant refused; settled requests count with their actual tokens, running ones with
            // what they hold.
            Window window = this.jdbc.sql("""
                    select count(*) as n,
                        coalesce(sum(coalesce(input_tokens + reasoning_tokens + output_tokens, reserved_tokens)), 0)
                            as tokens,
                        min(started_at) as oldest
                    from n4j_request_audit
                    where tenant_id = ? and started_at > ? and outcome <> 'REJECTED'
                    """)
                .params(tenantId, Timestamp.from(now.minus(MINUTE)))
                .query((rs, row) -> new Window(rs.getLong("n"), rs.getLong("tokens"),
                        (rs.getTimestamp("oldest") != null) ? rs.getTimestamp("oldest").toInstant().plus(MINUTE)
                                : now))
                .single();
            if (limits.requestsPerMinute() != null && window.count() + 1 > limits.requestsPerMinute()) {
                return new Refusal(Limit.REQUESTS_PER_MINUTE, big(limits.requestsPerMinute()), big(window.count()),
                        BigDecimal.ONE, window.oldestLeaves());
            }
            if (limits.tokensPerMinute() != null && window.tokens() + reservedTokens > limits.tokensPerMinute()) {
                return new Refusal(Limit.TOKENS_PER_MINUTE, big(limits.tokensPerMinute()), big(window.tokens()),
                        big(reservedTokens), window.oldestLeaves());
            }
        }
        if (!periods) {
            return null;
        }
        Periods p = Periods.at(now, zone);
        BookedUsage booked = BookedUsage.of(this.jdbc, tenantId, p);
        // Every reservation still held counts against every current period, even one admitted in an earlier
        // period (it will be booked there): conservative for the few seconds around a boundary, never overspending.
        List<Refusal> refusals = new ArrayList<>(6);
        tokens(refusals, Limit.TOKENS_PER_DAY, limits.tokensPerDay(), booked.tokensDay() + held.tokens(),
                reservedTokens, p.dayEnds());
        tokens(refusals, Limit.TOKENS_PER_WEEK, limits.tokensPerWeek(), booked.tokensWeek() + held.tokens(),
                reservedTokens, p.weekEnds());
        tokens(refusals, Limit.TOKENS_PER_MONTH, limits.tokensPerMonth(), booked.tokensMonth() + held.tokens(),
                reservedTokens, p.monthEnds());
        cost(refusals, Limit.COST_PER_DAY, limits.costPerDay(), booked.costDay().add(held.cost()), reservedCost,
                p.dayEnds());
        cost(refusals, Limit.COST_PER_WEEK, limits.costPerWeek(), booked.costWeek().add(held.cost()), reservedCost,
                p.weekEnds());
        cost(refusals, Limit.COST_PER_MONTH, limits.costPerMonth(), booked.costMonth().add(held.cost()),
                reservedCost, p.monthEnds());
        return refusals.isEmpty() ? null : refusals.getFirst();
    }

    private static void tokens(List<Refusal> refusals, Limit limit, @Nullable Long value, long current, long asked,
            Instant resets) {
        if (value != null && current + asked > value) {
            refusals.add(new Refusal(limit, big(value), big(current), big(asked), resets));
        }
    }

    private static void cost(List<Refusal> refusals, Limit limit, @Nullable BigDecimal value, BigDecimal current,
            BigDecimal asked, Instant resets) {
        if (value != null && current.add(asked).compareTo(value) > 0) {
            refusals.add(new Refusal(limit, value, current, asked, resets));
        }
    }

    /** The audit row of a request as admission writes it (never with usage, duration or content). */
    private static RequestAudit.Row admittedRow(UUID requestId, Instant now, AdmissionRequest request,
            long reservedTokens, @Nullable Integer thinkingBudget, Outcome outcome, @Nullable Refusal refusal) {
        return new RequestAudit.Row(requestId, now, request.tenantId(), request.apiKeyId(),
                truncate(request.principal(), 200), Objects.requireNonNull(truncate(request.model(), 200)),
                request.thinking(), thinkingBudget, request.temperature(), request.maxTokens(), request.promptTokens(),
                reservedTokens, null, null, null, null, null, null, null, outcome.name(),
                (refusal != null) ? refusal.limit().name() : null,
                (refusal != null) ? truncate(refusal.describe(), 1000) : null, truncate(request.clientAddress(), 64),
                truncate(request.traceId(), 64), null);
    }

    /** Inserts an audit row; with a link, the row is final and the same statement moves its tenant's head. */
    private void insertAudit(RequestAudit.Row row, RequestAuditChain.@Nullable Link link) {
        this.jdbc.sql("""
                with head as (update n4j_tenant set audit_chain_seq = :seq, audit_chain_head = :hash
                    where id = :tenant and cast(:seq as bigint) is not null)
                insert into n4j_request_audit (id, started_at, tenant_id, api_key_id, principal, model, thinking,
                    thinking_budget, temperature, max_tokens, prompt_tokens, reserved_tokens, outcome, reject_limit,
                    detail, client_address, trace_id, chain_seq, prev_hash, hash)
                values (:id, :at, :tenant, :key, :principal, :model, :thinking, :budget, :temperature, :max,
                    :prompt, :reserved, :outcome, :limit, :detail, :client, :trace, :seq, :prev, :hash)
                """)
            .param("id", row.id())
            .param("at", Timestamp.from(row.startedAt()))
            .param("tenant", row.tenantId())
            .param("key", row.apiKeyId())
            .param("principal", row.principal())
            .param("model", row.model())
            .param("thinking", row.thinking())
            .param("budget", row.thinkingBudget())
            .param("temperature", row.temperature())
            .param("max", row.maxTokens())
            .param("prompt", row.promptTokens())
            .param("reserved", row.reservedTokens())
            .param("outcome", row.outcome())
            .param("limit", row.rejectLimit())
            .param("detail", row.detail())
            .param("client", row.clientAddress())
            .param("trace", row.traceId())
            .param("seq", (link != null) ? link.seq() : null, Types.BIGINT)
            .param("prev", (link != null) ? link.prevHash() : null, Types.BINARY)
            .param("hash", (link != null) ? link.hash() : null, Types.BINARY)
            .update();
    }

    /**
     * Brings a STARTED audit row to its final state and appends it to its tenant's chain, moving the tenant's head in
     * the same statement (one round trip fewer); the caller holds the tenant's lock.
     * @return the chain's new head, or {@code head} when the row is gone (retention dropped its month while the
     * request ran)
     */
    private RequestAuditChain.Head finalise(RequestAuditChain.Head head, UUID requestId, Instant startedAt,
            UnaryOperator<RequestAudit.Row> toFinal) {
        Optional<RequestAudit.Row> started = this.jdbc
            .sql("select " + RequestAudit.COLUMNS + ", content from n4j_request_audit where id = ? and started_at = ?")
            .params(requestId, Timestamp.from(startedAt))
            .query((rs, row) -> RequestAudit.read(rs, true))
            .optional();
        if (started.isEmpty()) {
            return head;
        }
        RequestAudit.Row row = toFinal.apply(started.get());
        RequestAuditChain.Link link = head.append(row);
        this.jdbc.sql("""
                with head as (update n4j_tenant set audit_chain_seq = :seq, audit_chain_head = :hash
                    where id = :tenant)
                update n4j_request_audit set outcome = :outcome, input_tokens = :in, reasoning_tokens = :reason,
                    output_tokens = :out, cost = :cost, finish_reason = :finish, first_token_ms = :ttft,
                    duration_ms = :duration, detail = :detail, content = :content, chain_seq = :seq,
                    prev_hash = :prev, hash = :hash
                where id = :id and started_at = :at
                """)
            .param("outcome", row.outcome())
            .param("in", row.inputTokens(), Types.BIGINT)
            .param("reason", row.reasoningTokens(), Types.BIGINT)
            .param("out", row.outputTokens(), Types.BIGINT)
            .param("cost", row.cost(), Types.NUMERIC)
            .param("finish", row.finishReason(), Types.VARCHAR)
            .param("ttft", row.firstTokenMs(), Types.BIGINT)
            .param("duration", row.durationMs(), Types.BIGINT)
            .param("detail", row.detail(), Types.VARCHAR)
            .param("content", row.content(), Types.VARCHAR)
            .param("seq", link.seq())
            .param("prev", link.prevHash())
            .param("hash", link.hash())
            .param("tenant", row.tenantId())
            .param("id", row.id())
            .param("at", Timestamp.from(row.startedAt()))
            .update();
        return link.asHead();
    }

    /** A STARTED row as it ends: its admission columns unchanged, its outcome and what is known of its run. */
    private static RequestAudit.Row ended(RequestAudit.Row started, Outcome outcome, @Nullable Usage usage,
            @Nullable BigDecimal cost, @Nullable String finishReason, @Nullable Long firstTokenMs, Instant clock,
            @Nullable String detail, @Nullable String content) {
        return new RequestAudit.Row(started.id(), started.startedAt(), started.tenantId(), started.apiKeyId(),
                started.principal(), started.model(), started.thinking(), started.thinkingBudget(),
                started.temperature(), started.maxTokens(), started.promptTokens(), started.reservedTokens(),
                (usage != null) ? usage.inputTokens() : null, (usage != null) ? usage.reasoningTokens() : null,
                (usage != null) ? usage.outputTokens() : null, cost, firstTokenMs,
                Duration.between(started.startedAt(), clock).toMillis(), truncate(finishReason, 64), outcome.name(),
                started.rejectLimit(), truncate(detail, 1000), started.clientAddress(), started.traceId(), content);
    }

    private static RequestAuditChain.Head chainHead(ResultSet rs) throws SQLException {
        return new RequestAuditChain.Head(rs.getLong("audit_chain_seq"), rs.getBytes("audit_chain_head"));
    }

    /**
     * Extends an admitted request's lease, for generations that run longer than the lease.
     * @param admission the admission
     * @return whether the reservation still existed (false once settled or swept)
     */
    public boolean renewLease(Admission admission) {
        return this.transactions.execute((status) -> this.jdbc
            .sql("update n4j_reservation set lease_until = now() + make_interval(secs => ?) where request_id = ?")
            .params(this.lease.toMillis() / 1000.0, admission.requestId())
            .update()) == 1;
    }

    /**
     * Settles an admitted request: books its actual usage and cost on the day it was admitted, drops its
     * reservation, completes its audit row (with {@link Settlement#content()}) and raises the soft-limit alerts its
     * usage reaches, in one transaction. The alerts are logged and passed to the alert listener after the commit.
     * @param admission the admission
     * @param settlement how the request ended
     * @return whether it was settled now; false if it had been settled already or its lease had expired and it was
     * swept as abandoned (its usage is then not booked, see {@link #sweepExpiredLeases()})
     */
    public boolean settle(Admission admission, Settlement settlement) {
        List<QuotaAlert> raised = this.transactions.execute((status) -> book(admission, settlement));
        if (raised == null) {
            return false;
        }
        raised.forEach(this::notifyAlert);
        return true;
    }

    /** @return the alerts raised, or {@code null} when there was nothing left to settle */
    private @Nullable List<QuotaAlert> book(Admission admission, Settlement settlement) {
        Optional<SettlingTenant> locked = this.jdbc.sql("""
                select t.name, t.time_zone, t.audit_chain_seq, t.audit_chain_head, l.*
                from n4j_tenant t left join n4j_tenant_limits l on l.tenant_id = t.id
                where t.id = ? for no key update of t
                """)
            .param(admission.tenantId())
            .query((rs, row) -> new SettlingTenant(rs.getString("name"), ZoneId.of(rs.getString("time_zone")),
                    Tenants.readLimits(rs), chainHead(rs)))
            .optional();
        if (locked.isEmpty()) {
            // The tenant was deleted, and its reservations with it: nothing is left to settle.
            return null;
        }
        SettlingTenant tenant = locked.get();
        // Locked by the tenant lock above and then deleted: a concurrent sweep or second settlement finds
        // nothing, so usage is booked at most once.
        List<Released> released = this.jdbc
            .sql("delete from n4j_reservation where request_id = ? returning day, clock_timestamp() as clock")
            .param(admission.requestId())
            .query((rs, row) -> new Released(rs.getObject("day", LocalDate.class),
                    rs.getTimestamp("clock").toInstant()))
            .list();
        if (released.isEmpty()) {
            return null;
        }
        LocalDate day = released.getFirst().day();
        Instant clock = released.getFirst().clock();
        Usage usage = settlement.usage();
        if (usage.total() > admission.reservedTokens()) {
            logger.warn("Request " + admission.requestId() + " used " + usage.total() + " tokens but reserved "
                    + admission.reservedTokens() + "; booking what it used (generation was not capped at "
                    + "Admission.maxTokens)");
        }
        BigDecimal cost = RequestAuditChain.auditScale(tenant.limits().cost(usage));
        this.jdbc.sql("""
                insert into n4j_usage_daily (tenant_id, day, requests, input_tokens, reasoning_tokens,
                    output_tokens, cost) values (?, ?, 1, ?, ?, ?, ?)
                on conflict (tenant_id, day) do update set requests = n4j_usage_daily.requests + 1,
                    input_tokens = n4j_usage_daily.input_tokens + excluded.input_tokens,
                    reasoning_tokens = n4j_usage_daily.reasoning_tokens + excluded.reasoning_tokens,
                    output_tokens = n4j_usage_daily.output_tokens + excluded.output_tokens,
                    cost = n4j_usage_daily.cost + excluded.cost
                """)
            .params(admission.tenantId(), day, usage.inputTokens(), usage.reasoningTokens(), usage.outputTokens(),
                    cost)
            .update();
        finalise(tenant.chain(), admission.requestId(), admission.startedAt(),
                (started) -> ended(started, settlement.outcome(), usage, cost, settlement.finishReason(),
                        settlement.firstTokenMillis(), clock, settlement.detail(), settlement.content()));
        return this.alerts.raise(admission.tenantId(), tenant.name(), tenant.zone(), tenant.limits(), day,
                admission.requestId());
    }

    private void notifyAlert(QuotaAlert alert) {
        logger.warn("Quota alert: " + alert.describe());
        try {
            this.alertListener.onAlert(alert);
        }
        catch (RuntimeException ex) {
            // The request is settled and committed; a listener's failure must not turn it into an error.
            logger.error("Quota alert listener failed for alert " + alert.id(), ex);
        }
    }

    /**
     * Releases reservations whose lease ran out (their owner died or hung) and marks their requests
     * {@link Outcome#ABANDONED}. Nothing is booked for them: what they generated is unknown. Safe to run on every
     * replica at once: each tenant is swept under its row lock, so each expired reservation is taken by one sweeper
     * and its row is chained in order. At most 100 tenants and 500 reservations per tenant a call.
     * @return how many were released
     */
    public int sweepExpiredLeases() {
        List<UUID> tenants = this.jdbc
            .sql("select distinct tenant_id from n4j_reservation where lease_until < now() limit 100")
            .query(UUID.class)
            .list();
        int swept = 0;
        for (UUID tenantId : tenants) {
            Integer n = this.transactions.execute((status) -> sweep(tenantId));
            swept += (n != null) ? n : 0;
        }
        if (swept > 0) {
            logger.info("Released " + swept + " expired reservation(s); their requests are marked ABANDONED");
        }
        return swept;
    }

    /**
     * Sweeps one tenant under its lock, taken before any reservation's (as admission and settlement take them), so
     * that a sweep and a settlement never deadlock and an abandoned row joins the chain in order.
     */
    private int sweep(UUID tenantId) {
        Optional<RequestAuditChain.Head> locked = this.jdbc
            .sql("select audit_chain_seq, audit_chain_head from n4j_tenant where id = ? for no key update")
            .param(tenantId)
            .query((rs, row) -> chainHead(rs))
            .optional();
        if (locked.isEmpty()) {
            return 0;
        }
        // Another replica's sweeper may have taken these while this one waited for the lock: it then finds none.
        List<Expired> expired = this.jdbc.sql("""
                delete from n4j_reservation where request_id in (
                    select request_id from n4j_reservation where tenant_id = ? and lease_until < now()
                    order by lease_until limit 500)
                returning request_id, started_at, clock_timestamp() as clock
                """)
            .param(tenantId)
            .query((rs, row) -> new Expired(rs.getObject("request_id", UUID.class),
                    rs.getTimestamp("started_at").toInstant(), rs.getTimestamp("clock").toInstant()))
            .list();
        RequestAuditChain.Head head = locked.get();
        for (Expired e : expired) {
            head = finalise(head, e.requestId(), e.startedAt(), (started) -> ended(started, Outcome.ABANDONED, null,
                    null, null, null, e.clock(), "lease expired before settlement; reservation released", null));
        }
        return expired.size();
    }

    private static @Nullable String truncate(@Nullable String value, int max) {
        return (value == null || value.length() <= max) ? value : value.substring(0, max);
    }

    private static BigDecimal big(long value) {
        return BigDecimal.valueOf(value);
    }

    private record TenantRow(boolean enabled, ZoneId zone, ContentPolicy contentPolicy, Instant now,
            TenantLimits limits, RequestAuditChain.Head chain) {
    }

    private record SettlingTenant(String name, ZoneId zone, TenantLimits limits, RequestAuditChain.Head chain) {
    }

    private record Released(LocalDate day, Instant clock) {
    }

    private record Decision(@Nullable Admission admission, @Nullable AdmissionRejectedException rejection) {
    }

    private record Refusal(Limit limit, BigDecimal limitValue, BigDecimal current, BigDecimal requested,
            @Nullable Instant resetsAt) {

        String describe() {
            return "limit " + this.limitValue.toPlainString() + ", in use " + this.current.toPlainString()
                    + ", requested " + this.requested.toPlainString()
                    + ((this.resetsAt != null) ? ", frees up at " + this.resetsAt : "");
        }

    }

    private record Held(long count, long tokens, BigDecimal cost) {
    }

    private record Window(long count, long tokens, Instant oldestLeaves) {
    }

    private record Expired(UUID requestId, Instant startedAt, Instant clock) {
    }

}
