package io.nemotron4j.spring.governance;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The append-only, tamper-evident log of admin changes (who changed what, when, before and after). Every row's
 * hash is SHA-256 over the previous row's hash and the row's own fields, and sequence numbers run 1, 2, 3, ...
 * without gaps; editing, deleting or reordering any row breaks {@link #verify()} from that row on.
 *
 * <p>{@link #append} joins a transaction in progress on the same {@code DataSource}: a change made in that
 * transaction and its log entry then commit together or not at all.
 *
 * @since 0.1.0
 */
public class AdminAuditLog {

    private static final byte[] GENESIS = new byte[32];

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    /**
     * Creates the log.
     * @param jdbc a client on the governance database
     * @param transactionManager a transaction manager for the same database
     */
    public AdminAuditLog(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        // Joins the caller's transaction when there is one, so that a change and its record commit or roll back
        // together; on its own it runs in a transaction of its own.
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
    }

    /**
     * One entry of the log.
     * @param seq its position, from 1
     * @param at when it was written (database clock)
     * @param actor who made the change
     * @param action what was done (e.g. {@code tenant.create})
     * @param entity the kind of thing changed (e.g. {@code tenant})
     * @param entityId the changed thing's id, if any
     * @param beforeJson its state before, as JSON, if any
     * @param afterJson its state after, as JSON, if any
     */
    public record Entry(long seq, Instant at, String actor, String action, String entity, @Nullable String entityId,
            @Nullable String beforeJson, @Nullable String afterJson) {
    }

    /**
     * The result of checking the chain.
     * @param intact whether every row is where it should be and unchanged
     * @param rows how many rows were checked
     * @param firstBrokenSeq the first sequence number at which the chain breaks, or {@code null} when intact
     */
    public record Verification(boolean intact, long rows, @Nullable Long firstBrokenSeq) {
    }

    /**
     * Appends an entry. Appends are serialised by a transaction-scoped advisory lock (per schema), so the chain has
     * one order even with many replicas writing.
     * @param actor who made the change
     * @param action what was done
     * @param entity the kind of thing changed
     * @param entityId the changed thing's id, if any
     * @param beforeJson its state before, if any
     * @param afterJson its state after, if any
     * @return the entry as written
     */
    public Entry append(String actor, String action, String entity, @Nullable String entityId,
            @Nullable String beforeJson, @Nullable String afterJson) {
        Entry entry = this.transactions.execute((status) -> {
            this.jdbc.sql("select pg_advisory_xact_lock(hashtext(current_schema() || '.n4j_admin_audit'))")
                .query()
                .singleRow();
            Previous previous = this.jdbc
                .sql("select seq, hash, now() as now from n4j_admin_audit order by seq desc limit 1")
                .query((rs, row) -> new Previous(rs.getLong("seq"), rs.getBytes("hash"),
                        rs.getTimestamp("now").toInstant()))
                .optional()
                .orElseGet(() -> new Previous(0, GENESIS,
                        this.jdbc.sql("select now()").query(Timestamp.class).single().toInstant()));
            Entry e = new Entry(previous.seq() + 1, previous.now(), actor, action, entity, entityId, beforeJson,
                    afterJson);
            this.jdbc.sql("""
                    insert into n4j_admin_audit (seq, at, actor, action, entity, entity_id, before_json, after_json,
                        prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                .params(e.seq(), Timestamp.from(e.at()), actor, action, entity, entityId, beforeJson, afterJson,
                        previous.hash(), hash(previous.hash(), e))
                .update();
            return e;
        });
        if (entry == null) {
            throw new IllegalStateException("admin audit append returned nothing");
        }
        return entry;
    }

    /**
     * A page of the log, newest first.
     * @param limit most entries to return
     * @param beforeSeq return only entries older than this sequence number, or {@code null} to start at the newest
     * @return the entries
     */
    public List<Entry> page(int limit, @Nullable Long beforeSeq) {
        return this.jdbc.sql("""
                select * from n4j_admin_audit where (cast(:before as bigint) is null or seq < :before)
                order by seq desc limit :limit
                """)
            .param("before", beforeSeq, Types.BIGINT)
            .param("limit", limit)
            .query((rs, row) -> new Entry(rs.getLong("seq"), rs.getTimestamp("at").toInstant(), rs.getString("actor"),
                    rs.getString("action"), rs.getString("entity"), rs.getString("entity_id"),
                    rs.getString("before_json"), rs.getString("after_json")))
            .list();
    }

    /**
     * Recomputes the chain from the first row.
     * @return whether it is intact, and where it breaks if not
     */
    public Verification verify() {
        AtomicReference<byte[]> expectedPrevious = new AtomicReference<>(GENESIS);
        long[] rows = { 0 };
        AtomicReference<@Nullable Long> broken = new AtomicReference<>();
        this.jdbc.sql("select * from n4j_admin_audit order by seq").query((rs) -> {
            if (broken.get() != null) {
                return;
            }
            rows[0]++;
            Entry e = new Entry(rs.getLong("seq"), rs.getTimestamp("at").toInstant(), rs.getString("actor"),
                    rs.getString("action"), rs.getString("entity"), rs.getString("entity_id"),
                    rs.getString("before_json"), rs.getString("after_json"));
            byte[] previous = expectedPrevious.get();
            byte[] stored = rs.getBytes("hash");
            if (e.seq() != rows[0] || !MessageDigest.isEqual(previous, rs.getBytes("prev_hash"))
                    || !MessageDigest.isEqual(hash(previous, e), stored)) {
                broken.set(rows[0]);
                return;
            }
            expectedPrevious.set(stored);
        });
        Long first = broken.get();
        return new Verification(first == null, rows[0], first);
    }

    /** SHA-256 over the previous hash and every field, each length-prefixed so that no two rows encode alike. */
    static byte[] hash(byte[] previous, Entry e) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(previous);
            digest.update(ByteBuffer.allocate(Long.BYTES).putLong(e.seq()).array());
            field(digest, e.at().toString());
            field(digest, e.actor());
            field(digest, e.action());
            field(digest, e.entity());
            field(digest, e.entityId());
            field(digest, e.beforeJson());
            field(digest, e.afterJson());
            return digest.digest();
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every JDK has SHA-256", ex);
        }
    }

    private static void field(MessageDigest digest, @Nullable String value) {
        if (value == null) {
            digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(-1).array());
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        digest.update(bytes);
    }

    private record Previous(long seq, byte[] hash, Instant now) {
    }

}
