package io.nemotron4j.spring.governance;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The request audit's per-tenant hash chains on the real PostgreSQL: intact under concurrency across replicas,
 * broken by edits and deletions made past the trigger, still verifiable after a retention purge. A fresh schema per
 * test, so that each verification sees only that test's tenants.
 */
class RequestAuditChainTests {

    private TestDatabase database;

    private HikariDataSource dataSource;

    private JdbcClient jdbc;

    private GovernanceSchema schema;

    private GovernanceService service;

    private Tenants tenants;

    private RequestAuditChain chain;

    @BeforeEach
    void migrate() {
        this.database = TestDatabase.create();
        this.dataSource = this.database.dataSource(8);
        this.jdbc = JdbcClient.create(this.dataSource);
        this.schema = new GovernanceSchema(this.dataSource, 0);
        this.schema.migrate();
        this.service = new GovernanceService(this.jdbc, new DataSourceTransactionManager(this.dataSource),
                Duration.ofMinutes(5));
        this.tenants = new Tenants(this.jdbc);
        this.chain = new RequestAuditChain(new JdbcTemplate(this.dataSource),
                new DataSourceTransactionManager(this.dataSource));
    }

    @AfterEach
    void drop() {
        this.dataSource.close();
        this.database.close();
    }

    /** A tenant with odd prices (costs with many decimals) and a per-request cap that refuses large requests. */
    private UUID tenant() {
        UUID id = this.tenants.create("t-" + UUID.randomUUID(), ZoneId.of("Asia/Kolkata"));
        this.tenants.putLimits(id, new TenantLimits(null, null, null, null, null, null, new BigDecimal("0.01234567"),
                new BigDecimal("0.02345678"), new BigDecimal("0.03456789"), null, null, null, 500, true, null,
                null));
        return id;
    }

    /** One request: refused when it asks for more than 500 tokens, otherwise settled with the given outcome. */
    private static void request(GovernanceService service, UUID tenant, int i) {
        AdmissionRequest request = new AdmissionRequest(tenant, UUID.randomUUID(), "p" + i, "nano", 20 + i % 7,
                (i % 5 == 0) ? 900 : 100, i % 2 == 0, null, 0.7 + i / 1000.0, "10.0.0." + (i % 250), "trace-" + i);
        Admission admission;
        try {
            admission = service.admit(request);
        }
        catch (AdmissionRejectedException ex) {
            return;
        }
        Outcome outcome = switch (i % 3) {
            case 0 -> Outcome.COMPLETED;
            case 1 -> Outcome.FAILED;
            default -> Outcome.CANCELLED;
        };
        assertThat(service.settle(admission, new Settlement(new Usage(20 + i % 7, i % 11, 30 + i % 13), outcome,
                "STOP", (long) i % 40, (outcome == Outcome.FAILED) ? "boom " + i : null, "transcript " + i)))
            .isTrue();
    }

    private long chained(UUID tenant) {
        return this.jdbc.sql("select count(*) from n4j_request_audit where tenant_id = ? and chain_seq is not null")
            .param(tenant)
            .query(Long.class)
            .single();
    }

    private UUID requestAt(UUID tenant, long seq) {
        return this.jdbc.sql("select id from n4j_request_audit where tenant_id = ? and chain_seq = ?")
            .params(tenant, seq)
            .query(UUID.class)
            .single();
    }

    /** Runs SQL as a superuser who has switched the triggers off would. */
    private void pastTheTrigger(String sql, Object... params) {
        SingleConnectionDataSource one = new SingleConnectionDataSource(this.database.url(), TestDatabase.USER, "",
                true);
        try {
            JdbcClient client = JdbcClient.create(one);
            client.sql("set session_replication_role = replica").update();
            assertThat(client.sql(sql).params(params).update()).isEqualTo(1);
        }
        finally {
            one.destroy();
        }
    }

    @Test
    void chainsStayIntactUnderConcurrentRequestsOfTwoTenantsOnTwoReplicas() throws Exception {
        UUID a = tenant();
        UUID b = tenant();
        try (HikariDataSource otherPool = this.database.dataSource(8);
                ExecutorService pool = Executors.newFixedThreadPool(16)) {
            GovernanceService replica = new GovernanceService(JdbcClient.create(otherPool),
                    new DataSourceTransactionManager(otherPool), Duration.ofMinutes(5));
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int n = i;
                GovernanceService on = (i % 2 == 0) ? this.service : replica;
                done.add(pool.submit(() -> request(on, (n % 4 < 2) ? a : b, n)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        long rows = chained(a) + chained(b);
        // Every request is final, so every row is chained: a fifth refused at admission, the rest settled.
        assertThat(rows).isEqualTo(400);
        assertThat(this.jdbc.sql("select count(*) from n4j_request_audit where outcome = 'REJECTED'")
            .query(Long.class)
            .single()).isEqualTo(80);
        RequestAuditChain.Verification verification = this.chain.verify();
        System.out.println("request chains after 400 concurrent requests on two replicas: " + verification);
        assertThat(verification).isEqualTo(new RequestAuditChain.Verification(true, 2, 400, List.of()));
        // Positions run 1..n without gaps or duplicates, and each tenant's head is its last link.
        for (UUID t : List.of(a, b)) {
            assertThat(this.jdbc.sql("""
                    select count(distinct chain_seq) = count(*) and min(chain_seq) = 1
                        and max(chain_seq) = count(*) and max(chain_seq) = (select audit_chain_seq from n4j_tenant
                            where id = ?)
                    from n4j_request_audit where tenant_id = ?
                    """).params(t, t).query(Boolean.class).single()).isTrue();
        }
    }

    @Test
    void anEditedRowIsFound() {
        UUID tenant = tenant();
        for (int i = 1; i <= 6; i++) {
            request(this.service, tenant, i);
        }
        UUID edited = requestAt(tenant, 3);
        pastTheTrigger("update n4j_request_audit set output_tokens = output_tokens - 10 where id = ?", edited);

        RequestAuditChain.Verification verification = this.chain.verify();
        assertThat(verification.intact()).isFalse();
        assertThat(verification.rows()).isEqualTo(6);
        assertThat(verification.broken()).containsExactly(new RequestAuditChain.Break(tenant, 3, edited));
    }

    @Test
    void aRewrittenHashIsFoundAtItsRowAndTheNext() {
        UUID tenant = tenant();
        for (int i = 1; i <= 4; i++) {
            request(this.service, tenant, i);
        }
        // A hash rewritten (as one would to cover an edit) no longer matches its row, and the next row still points at
        // the old one.
        pastTheTrigger("update n4j_request_audit set hash = sha256(hash) where tenant_id = ? and chain_seq = 2",
                tenant);

        assertThat(this.chain.verify().broken()).containsExactly(new RequestAuditChain.Break(tenant, 2,
                requestAt(tenant, 2)), new RequestAuditChain.Break(tenant, 3, requestAt(tenant, 3)));
    }

    @Test
    void aDeletedRowIsFound() {
        UUID tenant = tenant();
        for (int i = 1; i <= 5; i++) {
            request(this.service, tenant, i);
        }
        UUID third = requestAt(tenant, 3);
        UUID fourth = requestAt(tenant, 4);
        pastTheTrigger("delete from n4j_request_audit where id = ?", third);

        // The gap shows at the link after it.
        assertThat(this.chain.verify().broken()).containsExactly(new RequestAuditChain.Break(tenant, 4, fourth));
    }

    @Test
    void deletingTheNewestRowIsFoundAgainstTheHead() {
        UUID tenant = tenant();
        for (int i = 1; i <= 3; i++) {
            request(this.service, tenant, i);
        }
        pastTheTrigger("delete from n4j_request_audit where id = ?", requestAt(tenant, 3));

        RequestAuditChain.Verification verification = this.chain.verify();
        assertThat(verification.rows()).isEqualTo(2);
        assertThat(verification.broken()).containsExactly(new RequestAuditChain.Break(tenant, 3, null));
    }

    @Test
    void theTriggerRefusesChangesToFinalRowsButLetsStartedRowsBeFinalised() {
        UUID tenant = tenant();
        Admission running = this.service.admit(AdmissionRequest.of(tenant, "nano", 10, 50));
        // A STARTED row may still change (settlement finalises it by an update).
        assertThat(this.jdbc.sql("update n4j_request_audit set trace_id = 'late' where id = ?")
            .param(running.requestId())
            .update()).isEqualTo(1);
        assertThat(this.service.settle(running, Settlement.completed(new Usage(10, 0, 20), "STOP"))).isTrue();

        assertThatExceptionOfType(DataAccessException.class)
            .isThrownBy(() -> this.jdbc.sql("update n4j_request_audit set output_tokens = 1 where id = ?")
                .param(running.requestId())
                .update())
            .withMessageContaining("is final (COMPLETED)")
            .withMessageContaining("refuses UPDATE");
        assertThatExceptionOfType(DataAccessException.class)
            .isThrownBy(() -> this.jdbc.sql("delete from n4j_request_audit where id = ?")
                .param(running.requestId())
                .update())
            .withMessageContaining("refuses DELETE");
        assertThat(this.jdbc.sql("select output_tokens from n4j_request_audit where id = ?")
            .param(running.requestId())
            .query(Long.class)
            .single()).isEqualTo(20);
        assertThat(this.chain.verify()).isEqualTo(new RequestAuditChain.Verification(true, 1, 1, List.of()));
    }

    @Test
    void anAbandonedRowIsChainedByTheSweeper() throws InterruptedException {
        UUID tenant = tenant();
        GovernanceService shortLease = new GovernanceService(this.jdbc,
                new DataSourceTransactionManager(this.dataSource), Duration.ofMillis(300));
        request(this.service, tenant, 1);
        Admission dead = shortLease.admit(AdmissionRequest.of(tenant, "nano", 10, 50));
        Thread.sleep(600);

        assertThat(shortLease.sweepExpiredLeases()).isEqualTo(1);
        assertThat(this.jdbc.sql("select outcome || ' ' || chain_seq from n4j_request_audit where id = ?")
            .param(dead.requestId())
            .query(String.class)
            .single()).isEqualTo("ABANDONED 2");
        // Settling it late books nothing and leaves the chain alone.
        assertThat(shortLease.settle(dead, Settlement.completed(new Usage(10, 0, 20), "STOP"))).isFalse();
        request(this.service, tenant, 3);
        assertThat(this.chain.verify()).isEqualTo(new RequestAuditChain.Verification(true, 1, 3, List.of()));
    }

    /** Appends a final row with a start in the past, linked exactly as the service links them. */
    private void historic(UUID tenant, Instant startedAt) {
        RequestAuditChain.Head head = this.jdbc
            .sql("select audit_chain_seq, audit_chain_head from n4j_tenant where id = ?")
            .param(tenant)
            .query((rs, row) -> new RequestAuditChain.Head(rs.getLong(1), rs.getBytes(2)))
            .single();
        RequestAudit.Row row = new RequestAudit.Row(UUID.randomUUID(), startedAt, tenant, null, "old", "nano", false,
                null, null, 100, 10, 110, 10L, 0L, 40L, new BigDecimal("0.00150000"), 5L, 90L, "STOP", "COMPLETED",
                null, null, null, null, "old transcript");
        RequestAuditChain.Link link = head.append(row);
        this.jdbc.sql("""
                insert into n4j_request_audit (id, started_at, tenant_id, principal, model, thinking, max_tokens,
                    prompt_tokens, reserved_tokens, input_tokens, reasoning_tokens, output_tokens, cost,
                    first_token_ms, duration_ms, finish_reason, outcome, content, chain_seq, prev_hash, hash)
                values (?, ?, ?, 'old', 'nano', false, 100, 10, 110, 10, 0, 40, 0.0015, 5, 90, 'STOP', 'COMPLETED',
                    'old transcript', ?, ?, ?)
                """)
            .params(row.id(), Timestamp.from(startedAt), tenant, link.seq(), link.prevHash(), link.hash())
            .update();
        this.jdbc.sql("update n4j_tenant set audit_chain_seq = ?, audit_chain_head = ? where id = ?")
            .params(link.seq(), link.hash(), tenant)
            .update();
    }

    @Test
    void aPurgeLeavesTheChainVerifiable() {
        UUID tenant = tenant();
        UUID gone = tenant();
        this.schema.ensureAuditPartitions(Instant.parse("2025-11-15T00:00:00Z"));
        this.schema.ensureAuditPartitions(Instant.parse("2025-12-15T00:00:00Z"));
        historic(tenant, Instant.parse("2025-11-02T10:00:00.123456Z"));
        historic(tenant, Instant.parse("2025-11-20T10:00:00Z"));
        historic(tenant, Instant.parse("2025-12-01T00:00:01Z"));
        // Started in November, finalised after a December row: its link outlives its month as an anchor.
        historic(tenant, Instant.parse("2025-11-30T23:59:00Z"));
        historic(tenant, Instant.parse("2025-12-02T08:00:00Z"));
        historic(gone, Instant.parse("2025-11-05T08:00:00Z"));
        historic(gone, Instant.parse("2025-11-06T08:00:00Z"));
        for (int i = 1; i <= 3; i++) {
            request(this.service, tenant, i);
        }
        assertThat(this.chain.verify()).isEqualTo(new RequestAuditChain.Verification(true, 2, 10, List.of()));

        assertThat(this.schema.dropAuditPartitionsBefore(YearMonth.of(2025, 12)))
            .containsExactly("n4j_request_audit_2025_11");
        assertThat(this.jdbc.sql("""
                select string_agg(chain_seq || ':' || is_start, ',' order by tenant_id = ?, chain_seq)
                from n4j_request_audit_anchor
                """).param(tenant).query(String.class).single()).isEqualTo("2:true,2:true,4:false");
        // Five rows survive, the two of December and the three of this month, and every chain still verifies to
        // its head, the purged tenant's included.
        assertThat(this.chain.verify()).isEqualTo(new RequestAuditChain.Verification(true, 2, 5, List.of()));

        // After the purge the anchored link still guards its neighbours: removing the first survivor is found.
        UUID firstSurvivor = requestAt(tenant, 3);
        pastTheTrigger("delete from n4j_request_audit where id = ?", firstSurvivor);
        assertThat(this.chain.verify().broken()).extracting(RequestAuditChain.Break::chainSeq).containsExactly(4L);
        assertThatExceptionOfType(DataAccessException.class)
            .isThrownBy(() -> this.jdbc.sql("delete from n4j_request_audit_anchor").update())
            .withMessageContaining("append-only");
    }

}
