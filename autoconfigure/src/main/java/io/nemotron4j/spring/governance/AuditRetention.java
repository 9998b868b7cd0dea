package io.nemotron4j.spring.governance;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * How many months of request audit are kept, shared by every replica through the database, and the purge that
 * drops the monthly partitions beyond it.
 *
 * <p>A retention of {@code n} months keeps the current (UTC) month and the {@code n} whole months before it; the
 * purge drops every partition older than that, a whole month at a time.
 *
 * @since 0.1.0
 */
public class AuditRetention {

    /** The shortest retention. */
    public static final int MIN_MONTHS = 1;

    /** The longest retention (ten years). */
    public static final int MAX_MONTHS = 120;

    private final JdbcClient jdbc;

    private final GovernanceSchema schema;

    /**
     * Creates the retention.
     * @param jdbc a client on the governance database
     * @param schema drops the partitions
     */
    public AuditRetention(JdbcClient jdbc, GovernanceSchema schema) {
        this.jdbc = jdbc;
        this.schema = schema;
    }

    /** @return the months kept before the current one */
    public int months() {
        return this.jdbc.sql("select audit_retention_months from n4j_admin_settings").query(Integer.class).single();
    }

    /**
     * Sets the months kept.
     * @param months {@value #MIN_MONTHS} to {@value #MAX_MONTHS}
     */
    public void setMonths(int months) {
        if (months < MIN_MONTHS || months > MAX_MONTHS) {
            throw new IllegalArgumentException(
                    "retention must be " + MIN_MONTHS + " to " + MAX_MONTHS + " months, was " + months);
        }
        this.jdbc.sql("update n4j_admin_settings set audit_retention_months = ?, updated_at = now()")
            .param(months)
            .update();
    }

    /** @return the month of the oldest monthly partition, or empty when there is none */
    public Optional<YearMonth> oldestPartition() {
        return this.jdbc.sql("""
                select c.relname from pg_inherits i
                    join pg_class c on c.oid = i.inhrelid
                    join pg_class p on p.oid = i.inhparent
                    join pg_namespace n on n.oid = p.relnamespace
                where p.relname = 'n4j_request_audit' and n.nspname = current_schema()
                    and c.relname ~ '^n4j_request_audit_[0-9]{4}_[0-9]{2}$'
                order by c.relname limit 1
                """)
            .query(String.class)
            .optional()
            .map((name) -> YearMonth.of(Integer.parseInt(name.substring(18, 22)),
                    Integer.parseInt(name.substring(23, 25))));
    }

    /**
     * Drops the partitions of every month older than the retention.
     * @return the dropped partitions, oldest first
     */
    public List<String> purge() {
        YearMonth current = YearMonth.now(ZoneOffset.UTC);
        return this.schema.dropAuditPartitionsBefore(current.minusMonths(months()));
    }

}
