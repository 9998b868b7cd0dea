package io.nemotron4j.spring.governance;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The hash-chained admin audit against the real PostgreSQL: intact when untouched, broken by any tampering. */
class AdminAuditLogTests {

    private static TestDatabase database;

    private static HikariDataSource dataSource;

    private static JdbcClient jdbc;

    private static AdminAuditLog log;

    @BeforeAll
    static void migrate() {
        database = TestDatabase.create();
        dataSource = database.dataSource(8);
        jdbc = JdbcClient.create(dataSource);
        new GovernanceSchema(dataSource, 0).migrate();
        log = new AdminAuditLog(jdbc, new DataSourceTransactionManager(dataSource));
    }

    @AfterAll
    static void drop() {
        dataSource.close();
        database.close();
    }

    @BeforeEach
    void empty() {
        tamper("delete from n4j_admin_audit");
    }

    /** Changes rows the way only someone able to switch off the append-only trigger could. */
    private static void tamper(String sql) {
        jdbc.sql("alter table n4j_admin_audit disable trigger n4j_admin_audit_append_only").update();
        try {
            jdbc.sql(sql).update();
        }
        finally {
            jdbc.sql("alter table n4j_admin_audit enable trigger n4j_admin_audit_append_only").update();
        }
    }

    @Test
    void theDatabaseRefusesUpdatesAndDeletes() {
        log.append("admin", "tenant.create", "tenant", "t1", null, "{}");
        assertThatExceptionOfType(DataAccessException.class)
            .isThrownBy(() -> jdbc.sql("update n4j_admin_audit set actor = 'x'").update())
            .withMessageContaining("append-only");
        assertThatExceptionOfType(DataAccessException.class)
            .isThrownBy(() -> jdbc.sql("delete from n4j_admin_audit").update())
            .withMessageContaining("append-only");
        assertThat(log.verify()).isEqualTo(new AdminAuditLog.Verification(true, 1, null));
    }

    @Test
    void anUntouchedChainVerifies() {
        assertThat(log.verify()).isEqualTo(new AdminAuditLog.Verification(true, 0, null));
        AdminAuditLog.Entry first = log.append("admin", "tenant.create", "tenant", "t1", null, "{\"name\":\"a\"}");
        log.append("admin", "limits.put", "tenant", "t1", "{}", "{\"tokensPerDay\":100}");
        log.append("ops", "key.revoke", "api_key", "k1", "{\"revoked\":false}", "{\"revoked\":true}");
        assertThat(first.seq()).isEqualTo(1);
        assertThat(log.verify()).isEqualTo(new AdminAuditLog.Verification(true, 3, null));
    }

    @Test
    void editingDeletingOrRechainingARowBreaksTheChainThere() {
        for (int i = 0; i < 4; i++) {
            log.append("admin", "limits.put", "tenant", "t" + i, "{}", "{\"tokensPerDay\":" + i + "}");
        }
        tamper("update n4j_admin_audit set after_json = '{\"tokensPerDay\":999}' where seq = 2");
        assertThat(log.verify()).isEqualTo(new AdminAuditLog.Verification(false, 2, 2L));

        empty();
        for (int i = 0; i < 4; i++) {
            log.append("admin", "limits.put", "tenant", "t" + i, "{}", "{}");
        }
        tamper("delete from n4j_admin_audit where seq = 3");
        assertThat(log.verify().firstBrokenSeq()).isEqualTo(3L);

        empty();
        for (int i = 0; i < 3; i++) {
            log.append("admin", "limits.put", "tenant", "t" + i, "{}", "{}");
        }
        // Changing who acted, even in the newest row, is caught.
        tamper("update n4j_admin_audit set actor = 'someone-else' where seq = 3");
        assertThat(log.verify().intact()).isFalse();
    }

    @Test
    void concurrentAppendsFormOneChain() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<AdminAuditLog.Entry>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String id = "t" + i;
                futures.add(pool.submit(() -> log.append("admin", "tenant.create", "tenant", id, null, "{}")));
            }
            for (Future<AdminAuditLog.Entry> future : futures) {
                future.get();
            }
        }
        assertThat(log.verify()).isEqualTo(new AdminAuditLog.Verification(true, 40, null));
    }

}
