package io.nemotron4j.spring.governance;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Old months of the request audit are dropped as whole partitions; newer months and their rows stay. */
class AuditRetentionTests {

    private static TestDatabase database;

    private static HikariDataSource dataSource;

    private static JdbcClient jdbc;

    private static GovernanceSchema schema;

    @BeforeAll
    static void migrate() {
        database = TestDatabase.create();
        dataSource = database.dataSource(2);
        jdbc = JdbcClient.create(dataSource);
        schema = new GovernanceSchema(dataSource, 0);
        schema.migrate();
    }

    @AfterAll
    static void drop() {
        dataSource.close();
        database.close();
    }

    private static void row(String at) {
        jdbc.sql("""
                insert into n4j_request_audit (id, started_at, tenant_id, model, max_tokens, prompt_tokens,
                    reserved_tokens, outcome) values (?, ?, ?, 'nano', 1, 1, 2, 'COMPLETED')
                """).params(UUID.randomUUID(), Timestamp.from(Instant.parse(at)), UUID.randomUUID()).update();
    }

    private static long rows() {
        return jdbc.sql("select count(*) from n4j_request_audit").query(Long.class).single();
    }

    @Test
    void monthsBeforeTheFirstKeptAreDroppedWhole() {
        schema.ensureAuditPartitions(Instant.parse("2025-11-15T00:00:00Z"));
        schema.ensureAuditPartitions(Instant.parse("2025-12-15T00:00:00Z"));
        schema.ensureAuditPartitions(Instant.parse("2026-01-15T00:00:00Z"));
        row("2025-11-03T10:00:00Z");
        row("2025-11-30T23:59:59Z");
        row("2025-12-01T00:00:00Z");
        row("2026-01-20T08:00:00Z");
        assertThat(jdbc.sql("select count(*) from n4j_request_audit_2025_11").query(Long.class).single())
            .isEqualTo(2);
        assertThat(jdbc.sql("select count(*) from n4j_request_audit_default").query(Long.class).single()).isZero();

        assertThat(schema.dropAuditPartitionsBefore(YearMonth.of(2025, 12)))
            .containsExactly("n4j_request_audit_2025_11");
        assertThat(rows()).isEqualTo(2);
        assertThat(jdbc.sql("select count(*) from n4j_request_audit where started_at >= '2025-12-01T00:00:00Z'")
            .query(Long.class)
            .single()).isEqualTo(2);
        // Running it again finds nothing more to drop; the current months are never dropped by an old cut-off.
        assertThat(schema.dropAuditPartitionsBefore(YearMonth.of(2025, 12))).isEmpty();
        assertThat(schema.dropAuditPartitionsBefore(YearMonth.of(2026, 1)))
            .containsExactly("n4j_request_audit_2025_12");
        assertThat(rows()).isEqualTo(1);
        // The month dropped can be recreated and written again (a late row would go to its own partition).
        schema.ensureAuditPartitions(Instant.parse("2025-11-15T00:00:00Z"));
        row("2025-11-04T00:00:00Z");
        assertThat(rows()).isEqualTo(2);
    }

}
