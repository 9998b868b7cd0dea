package io.nemotron4j.spring.governance;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates and upgrades the governance tables with a Flyway instance of its own: its own migration location
 * ({@value #LOCATION}) and history table ({@value #HISTORY_TABLE}), so the host application's Flyway, its
 * {@code db/migration} scripts and its {@code flyway_schema_history} are never touched. Deliberately not a
 * {@code Flyway} bean: Spring Boot's Flyway auto-configuration backs off when one exists, which would silently stop
 * the host's own migrations.
 *
 * <p>Also keeps monthly partitions of the request audit ready ahead of time ({@link #ensureAuditPartitions}).
 *
 * @since 0.1.0
 */
public class GovernanceSchema {

    /** Where the governance migrations live. */
    public static final String LOCATION = "classpath:db/nemotron4j/migration";

    /** The Flyway history table of the governance migrations. */
    public static final String HISTORY_TABLE = "nemotron4j_schema_history";

    private static final Log logger = LogFactory.getLog(GovernanceSchema.class);

    private final DataSource dataSource;

    private final JdbcClient jdbc;

    private final int monthsAhead;

    private final TransactionTemplate transactions;

    /**
     * Creates the schema manager.
     * @param dataSource the governance database; the tables go to its connections' default schema
     * @param monthsAhead how many months beyond the current one get their audit partition in advance
     */
    public GovernanceSchema(DataSource dataSource, int monthsAhead) {
        if (monthsAhead < 0 || monthsAhead > 24) {
            throw new IllegalArgumentException("monthsAhead must be 0 to 24, was " + monthsAhead);
        }
        this.dataSource = dataSource;
        this.jdbc = JdbcClient.create(dataSource);
        this.monthsAhead = monthsAhead;
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /**
     * Applies pending migrations and creates the audit partitions of this month and the next ones.
     * @return how many migrations were applied
     */
    public int migrate() {
        MigrateResult result = Flyway.configure()
            .dataSource(this.dataSource)
            .locations(LOCATION)
            .table(HISTORY_TABLE)
            // The host's tables may already be in this schema; version 0 as baseline lets V1 still run.
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .load()
            .migrate();
        if (result.migrationsExecuted > 0) {
            logger.info("Applied " + result.migrationsExecuted + " Nemotron4j governance migration(s), now at version "
                    + result.targetSchemaVersion);
        }
        ensureAuditPartitions(Instant.now());
        return result.migrationsExecuted;
    }

    /**
     * Creates the monthly audit partitions from the month of {@code now} to {@code monthsAhead} months later, if
     * missing. Idempotent; run at start-up and periodically so that rows never land in the default partition.
     * @param now the current time
     */
    public void ensureAuditPartitions(Instant now) {
        YearMonth month = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        for (int i = 0; i <= this.monthsAhead; i++) {
            Instant start = month.plusMonths(i).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            this.jdbc.sql("select n4j_ensure_audit_partition(?)")
                .param(java.sql.Timestamp.from(start))
                .query(String.class)
                .single();
        }
    }

    /**
     * Drops the monthly request-audit partitions of every month before {@code firstKept}: retention without
     * {@code DELETE}, so without bloat or vacuum debt, and in constant time per month. Rows that fell into the
     * default partition are not touched. In one transaction that holds the request audit exclusively (dropping a
     * partition locks its parent anyway), it first records the purge anchors of the tenants' hash chains
     * ({@link RequestAuditChain}), so that what survives still verifies; a transaction in progress on the same
     * {@code DataSource} is joined.
     * @param firstKept the oldest month to keep (UTC months, like the partitions)
     * @return the names of the dropped partitions, oldest first
     */
    public List<String> dropAuditPartitionsBefore(YearMonth firstKept) {
        List<String> dropped = this.transactions.execute((status) -> {
            String limit = String.format("n4j_request_audit_%04d_%02d", firstKept.getYear(),
                    firstKept.getMonthValue());
            // The fixed-width names sort like the months they hold.
            List<String> old = monthlyPartitions().stream().filter((p) -> p.compareTo(limit) < 0).toList();
            if (old.isEmpty()) {
                return old;
            }
            // Taken first so that no link is added to a chain between recording the anchors and the drop.
            this.jdbc.sql("lock table n4j_request_audit in access exclusive mode").update();
            RequestAuditChain.anchorBeforeDropping(this.jdbc, old);
            for (String partition : old) {
                // The name was matched against a strict pattern, so it is safe to splice in.
                this.jdbc.sql("drop table " + partition).update();
            }
            return old;
        });
        if (dropped != null && !dropped.isEmpty()) {
            logger.info("Dropped request-audit partitions " + dropped);
        }
        return (dropped != null) ? dropped : List.of();
    }

    private List<String> monthlyPartitions() {
        return this.jdbc.sql("""
                select c.relname from pg_inherits i
                    join pg_class c on c.oid = i.inhrelid
                    join pg_class p on p.oid = i.inhparent
                    join pg_namespace n on n.oid = p.relnamespace
                where p.relname = 'n4j_request_audit' and n.nspname = current_schema()
                    and c.relname ~ '^n4j_request_audit_[0-9]{4}_[0-9]{2}$'
                order by c.relname
                """).query(String.class).list();
    }

}
