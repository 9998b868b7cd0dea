package io.nemotron4j.spring.governance;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hash chains that make the request audit tamper-evident: one chain per tenant, so that requests of different
 * tenants never wait for each other and every replica can extend a chain under the tenant row lock it already holds.
 *
 * <p>A row joins its tenant's chain when it reaches its final state ({@link Outcome#REJECTED} at admission,
 * {@link Outcome#COMPLETED}, {@link Outcome#FAILED} or {@link Outcome#CANCELLED} at settlement,
 * {@link Outcome#ABANDONED} by the lease sweeper), in the transaction that finalises it: it gets the next sequence
 * number, the previous link's hash and its own hash, SHA-256 over those two and the canonical encoding of every
 * audited column, content included ({@link #hash}); the tenant row keeps the head (last sequence number and hash).
 * A database trigger refuses to update or delete final rows; this chain reveals changes made by someone who could
 * get past the trigger: an edited row no longer matches its hash, a deleted one leaves a gap in the sequence, and
 * deleting the newest rows leaves the chain short of the head.
 *
 * <p><b>Retention.</b> A purge drops whole monthly partitions, and with them the beginning of each chain. So that
 * what survives still verifies, the purge first records <em>anchors</em> in {@code n4j_request_audit_anchor}, in the
 * same transaction and while it holds the audit table exclusively: for each tenant, the dropped link just before the
 * tenant's oldest surviving link (the start anchor) and every dropped link after it (requests that started in a
 * dropped month but were finalised after a row of a kept month). Verification then trusts nothing but the genesis
 * hash or the latest start anchor as the beginning of a chain: each surviving row must link to its predecessor,
 * anchored or not, exactly as if nothing had been dropped. A row below the start anchor cannot exist after an
 * honest purge and is reported; so a forged anchor that tried to move the start past removed rows is found. The
 * anchor table is append-only too, and the purge itself is an entry in the admin audit's own chain.
 *
 * @since 0.1.0
 */
public class RequestAuditChain {

    /** The most breaks one verification lists; the chain is reported broken however many more there are. */
    public static final int MAX_LISTED_BREAKS = 100;

    private static final int FETCH_SIZE = 500;

    private final JdbcTemplate streaming;

    private final TransactionTemplate snapshot;

    /**
     * Creates the chain verifier.
     * @param jdbc a template on the governance database
     * @param transactionManager a transaction manager for the same database
     */
    public RequestAuditChain(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        // PostgreSQL streams a result set only inside a transaction and with a fetch size.
        this.streaming = new JdbcTemplate(jdbc.getDataSource());
        this.streaming.setFetchSize(FETCH_SIZE);
        this.snapshot = new TransactionTemplate(transactionManager);
        this.snapshot.setReadOnly(true);
        // One snapshot for heads, anchors and rows: links committed while it runs must not look like a broken tail.
        this.snapshot.setIsolationLevel(Connection.TRANSACTION_REPEATABLE_READ);
        this.snapshot.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * The result of checking every tenant's chain.
     * @param intact whether every chain is complete and unchanged
     * @param tenants how many tenants' chains were checked
     * @param rows how many chained rows were checked
     * @param broken where chains break, at most {@value #MAX_LISTED_BREAKS}, in chain order per tenant
     */
    public record Verification(boolean intact, long tenants, long rows, List<Break> broken) {
    }

    /**
     * A place where a chain breaks.
     * @param tenantId whose chain
     * @param chainSeq the first link that does not follow from its predecessor: an edited row, the row after a gap,
     * or the head's position when the newest links are missing
     * @param requestId the request of the row (or of the anchored, dropped row), or {@code null} when the link is
     * missing
     */
    public record Break(UUID tenantId, long chainSeq, @Nullable UUID requestId) {
    }

    /** The end of a tenant's chain: the last link's position and hash. */
    record Head(long seq, byte[] hash) {

        /**
         * The link a row gets when it is appended.
         * @param row the row in its final state
         * @return its link
         */
        Link append(RequestAudit.Row row) {
            long next = this.seq + 1;
            return new Link(next, this.hash, RequestAuditChain.hash(this.hash, next, row));
        }

    }

    /** A row's place in its tenant's chain. */
    record Link(long seq, byte[] prevHash, byte[] hash) {

        Head asHead() {
            return new Head(this.seq, this.hash);
        }

    }

    /**
     * The hash of a final row in its chain, in {@link ChainDigest}'s encoding, over every audited column in the
     * order of the table. Values are written in forms the database returns unchanged: instants as epoch
     * microseconds, the temperature as its IEEE bits, the cost at the column's scale of 8.
     * @param previous the previous link's hash
     * @param seq the row's position in the chain
     * @param row the row
     * @return the hash
     */
    static byte[] hash(byte[] previous, long seq, RequestAudit.Row row) {
        Double temperature = row.temperature();
        return ChainDigest.link(previous, seq)
            .field(row.id())
            .field(micros(row.startedAt()))
            .field(row.tenantId())
            .field(row.apiKeyId())
            .field(row.principal())
            .field(row.model())
            .field(row.thinking())
            .field(row.thinkingBudget())
            .field((temperature != null) ? Double.doubleToLongBits(temperature) : null)
            .field(row.maxTokens())
            .field(row.promptTokens())
            .field(row.reservedTokens())
            .field(row.inputTokens())
            .field(row.reasoningTokens())
            .field(row.outputTokens())
            .field((row.cost() != null) ? auditScale(row.cost()).toPlainString() : null)
            .field(row.firstTokenMs())
            .field(row.durationMs())
            .field(row.finishReason())
            .field(row.outcome())
            .field(row.rejectLimit())
            .field(row.detail())
            .field(row.clientAddress())
            .field(row.traceId())
            .field(row.content())
            .finish();
    }

    /**
     * A cost at the scale the audit column stores it with, rounded as PostgreSQL rounds {@code numeric}.
     * @param cost a cost
     * @return the cost as stored
     */
    static BigDecimal auditScale(BigDecimal cost) {
        return cost.setScale(8, RoundingMode.HALF_UP);
    }

    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    /**
     * Records the anchors of a purge: call in the purge's transaction, holding the request audit exclusively, just
     * before dropping the partitions.
     * @param jdbc a client joined to the purge's transaction
     * @param partitions the partitions about to be dropped
     * @return how many anchors were recorded
     */
    static int anchorBeforeDropping(JdbcClient jdbc, List<String> partitions) {
        return jdbc.sql("""
                with dropped as (
                    select tenant_id, chain_seq, id, prev_hash, hash,
                        max(chain_seq) over (partition by tenant_id) as last_dropped
                    from n4j_request_audit
                    where chain_seq is not null and tableoid in (select unnest(cast(:parts as text[]))::regclass)),
                kept as (
                    select tenant_id, min(chain_seq) as first_kept from n4j_request_audit
                    where chain_seq is not null
                        and tableoid not in (select unnest(cast(:parts as text[]))::regclass)
                        and tenant_id in (select tenant_id from dropped)
                    group by tenant_id)
                insert into n4j_request_audit_anchor (tenant_id, chain_seq, request_id, prev_hash, hash, is_start,
                    anchored_at)
                select d.tenant_id, d.chain_seq, d.id, d.prev_hash, d.hash,
                    d.chain_seq = coalesce(k.first_kept - 1, d.last_dropped), now()
                from dropped d left join kept k on k.tenant_id = d.tenant_id
                where d.chain_seq >= coalesce(k.first_kept - 1, d.last_dropped)
                """)
            .param("parts", partitions.toArray(String[]::new))
            .update();
    }

    /**
     * Checks every tenant's chain, reading the rows from a database cursor in one snapshot: memory holds the tenants'
     * heads and the purge anchors, never the rows.
     * @return whether every chain is intact, and where they break if not
     */
    public Verification verify() {
        Verification result = this.snapshot.execute((status) -> {
            Map<UUID, Head> heads = new HashMap<>();
            this.streaming.query("select id, audit_chain_seq, audit_chain_head from n4j_tenant",
                    (RowCallbackHandler) (rs) -> heads.put(rs.getObject("id", UUID.class),
                            new Head(rs.getLong("audit_chain_seq"), rs.getBytes("audit_chain_head"))));
            Map<UUID, List<Anchor>> anchors = new HashMap<>();
            this.streaming.query("""
                    select tenant_id, chain_seq, request_id, prev_hash, hash, is_start
                    from n4j_request_audit_anchor order by tenant_id, chain_seq
                    """, (RowCallbackHandler) (rs) -> anchors
                .computeIfAbsent(rs.getObject("tenant_id", UUID.class), (id) -> new ArrayList<>())
                .add(new Anchor(rs.getLong("chain_seq"), rs.getObject("request_id", UUID.class),
                        rs.getBytes("prev_hash"), rs.getBytes("hash"), rs.getBoolean("is_start"))));
            Walk walk = new Walk(heads, anchors);
            this.streaming.query("select " + RequestAudit.COLUMNS + """
                    , content, chain_seq, prev_hash, hash from n4j_request_audit
                    where chain_seq is not null order by tenant_id, chain_seq
                    """, (RowCallbackHandler) walk::row);
            return walk.finish();
        });
        if (result == null) {
            throw new IllegalStateException("verification transaction returned nothing");
        }
        return result;
    }

    /** A link whose row a purge dropped. */
    private record Anchor(long seq, UUID requestId, byte[] prevHash, byte[] hash, boolean start) {
    }

    /** Walks the rows, ordered by tenant and position, one tenant's chain at a time. */
    private static final class Walk {

        private final Map<UUID, Head> heads;

        private final Map<UUID, List<Anchor>> anchors;

        private final Set<UUID> walked = new HashSet<>();

        private final List<Break> broken = new ArrayList<>();

        private long breaks;

        private long rows;

        private @Nullable TenantChain current;

        Walk(Map<UUID, Head> heads, Map<UUID, List<Anchor>> anchors) {
            this.heads = heads;
            this.anchors = anchors;
        }

        void row(ResultSet rs) throws java.sql.SQLException {
            RequestAudit.Row row = RequestAudit.read(rs, true);
            TenantChain chain = this.current;
            if (chain == null || !chain.tenantId.equals(row.tenantId())) {
                finishCurrent();
                chain = open(row.tenantId());
                this.current = chain;
            }
            this.rows++;
            chain.row(row, rs.getLong("chain_seq"), rs.getBytes("prev_hash"), rs.getBytes("hash"));
        }

        Verification finish() {
            finishCurrent();
            Set<UUID> rest = new HashSet<>(this.anchors.keySet());
            this.heads.forEach((tenant, head) -> {
                if (head.seq() > 0) {
                    rest.add(tenant);
                }
            });
            rest.removeAll(this.walked);
            rest.forEach((tenant) -> open(tenant).finish());
            return new Verification(this.breaks == 0, this.walked.size(), this.rows, List.copyOf(this.broken));
        }

        private void finishCurrent() {
            if (this.current != null) {
                this.current.finish();
                this.current = null;
            }
        }

        private TenantChain open(UUID tenant) {
            this.walked.add(tenant);
            return new TenantChain(this, tenant, this.heads.get(tenant), this.anchors.getOrDefault(tenant, List.of()));
        }

        void report(UUID tenant, long seq, @Nullable UUID requestId) {
            this.breaks++;
            if (this.broken.size() < MAX_LISTED_BREAKS) {
                this.broken.add(new Break(tenant, seq, requestId));
            }
        }

    }

    /** One tenant's chain: from its genesis or its latest start anchor, through rows and anchors, to its head. */
    private static final class TenantChain {

        private final Walk walk;

        private final UUID tenantId;

        private final @Nullable Head head;

        private final List<Anchor> anchors;

        private final long startSeq;

        private int nextAnchor;

        private long expectedSeq;

        private byte[] expectedPrevious;

        TenantChain(Walk walk, UUID tenantId, @Nullable Head head, List<Anchor> anchors) {
            this.walk = walk;
            this.tenantId = tenantId;
            this.head = head;
            this.anchors = anchors;
            int start = -1;
            for (int i = 0; i < anchors.size(); i++) {
                if (anchors.get(i).start()) {
                    start = i;
                }
            }
            this.startSeq = (start >= 0) ? anchors.get(start).seq() : 0;
            this.expectedSeq = this.startSeq + 1;
            this.expectedPrevious = (start >= 0) ? anchors.get(start).hash() : ChainDigest.GENESIS;
            this.nextAnchor = start + 1;
        }

        void row(RequestAudit.Row row, long seq, byte[] prevHash, byte[] storedHash) {
            anchorsUpTo(seq);
            if (seq <= this.startSeq) {
                // Below the trusted start: an honest purge leaves no such row.
                this.walk.report(this.tenantId, seq, row.id());
                return;
            }
            boolean unchanged = MessageDigest.isEqual(hash(prevHash, seq, row), storedHash);
            link(seq, prevHash, storedHash, unchanged, row.id());
        }

        void finish() {
            anchorsUpTo(Long.MAX_VALUE);
            Head end = this.head;
            if (end != null && (end.seq() != this.expectedSeq - 1
                    || !MessageDigest.isEqual(end.hash(), this.expectedPrevious))) {
                this.walk.report(this.tenantId, end.seq(), null);
            }
        }

        private void anchorsUpTo(long seq) {
            while (this.nextAnchor < this.anchors.size() && this.anchors.get(this.nextAnchor).seq() <= seq) {
                Anchor anchor = this.anchors.get(this.nextAnchor++);
                // Its row is gone, so its hash cannot be recomputed; it must still sit in the chain.
                link(anchor.seq(), anchor.prevHash(), anchor.hash(), true, anchor.requestId());
            }
        }

        private void link(long seq, byte[] prevHash, byte[] storedHash, boolean unchanged,
                @Nullable UUID requestId) {
            if (!unchanged || seq != this.expectedSeq || !MessageDigest.isEqual(prevHash, this.expectedPrevious)) {
                this.walk.report(this.tenantId, seq, requestId);
            }
            // Resynchronise on what is stored, so that one edit is one break and later breaks are still found.
            this.expectedSeq = seq + 1;
            this.expectedPrevious = storedHash;
        }

    }

}
