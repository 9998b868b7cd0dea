package io.nemotron4j.spring.governance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Admission, settlement and sweeping against the real PostgreSQL, in a schema of this class's own. */
class GovernanceServiceTests {

    private static TestDatabase database;

    private static HikariDataSource dataSource;

    private static JdbcClient jdbc;

    private static GovernanceSchema schema;

    private static GovernanceService service;

    private static Tenants tenants;

    @BeforeAll
    static void migrate() {
        database = TestDatabase.create();
        dataSource = database.dataSource(4);
        jdbc = JdbcClient.create(dataSource);
        schema = new GovernanceSchema(dataSource, 1);
        // Every migration script runs once; a second run has nothing left to do.
        assertThat(schema.migrate()).isEqualTo(migrationScripts());
        assertThat(schema.migrate()).isZero();
        service = new GovernanceService(jdbc, new DataSourceTransactionManager(dataSource), Duration.ofMinutes(5));
        tenants = new Tenants(jdbc);
    }

    private static int migrationScripts() {
        try {
            return new PathMatchingResourcePatternResolver()
                .getResources(GovernanceSchema.LOCATION + "/V*__*.sql").length;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @AfterAll
    static void drop() {
        dataSource.close();
        database.close();
    }

    private static UUID tenant(TenantLimits limits) {
        UUID id = tenants.create("t-" + UUID.randomUUID(), ZoneId.of("Europe/Paris"));
        tenants.putLimits(id, limits);
        return id;
    }

    private static Map<String, Object> audit(UUID requestId) {
        return jdbc.sql("select * from n4j_request_audit where id = ?").param(requestId).query().singleRow();
    }

    private static long reservations(UUID tenant) {
        return jdbc.sql("select count(*) from n4j_reservation where tenant_id = ?").param(tenant)
            .query(Long.class).single();
    }

    @Test
    void migratingAgainAppliesNothingAndPartitionsExist() {
        assertThat(schema.migrate()).isZero();
        long partitions = jdbc.sql("""
                select count(*) from pg_inherits i join pg_class c on c.oid = i.inhrelid
                join pg_class p on p.oid = i.inhparent join pg_namespace n on n.oid = p.relnamespace
                where p.relname = 'n4j_request_audit' and n.nspname = current_schema()
                """).query(Long.class).single();
        // default + this month + one month ahead
        assertThat(partitions).isEqualTo(3);
    }

    @Test
    void admissionReservesAndAuditsThenSettlementBooksAndReleases() {
        UUID tenant = tenant(TenantLimits.tokensPerDay(1000));
        Admission admission = service.admit(AdmissionRequest.of(tenant, "nano", 30, 100));
        assertThat(admission.reservedTokens()).isEqualTo(130);
        assertThat(admission.maxTokens()).isEqualTo(100);
        assertThat(admission.leaseUntil()).isEqualTo(admission.startedAt().plus(Duration.ofMinutes(5)));
        assertThat(reservations(tenant)).isEqualTo(1);
        assertThat(audit(admission.requestId())).containsEntry("outcome", "STARTED")
            .containsEntry("reserved_tokens", 130L)
            .containsEntry("prompt_tokens", 30);

        assertThat(service.settle(admission, Settlement.completed(new Usage(30, 20, 40), "STOP"))).isTrue();
        assertThat(reservations(tenant)).isZero();
        Map<String, Object> row = audit(admission.requestId());
        assertThat(row).containsEntry("outcome", "COMPLETED")
            .containsEntry("input_tokens", 30L)
            .containsEntry("reasoning_tokens", 20L)
            .containsEntry("output_tokens", 40L)
            .containsEntry("finish_reason", "STOP");
        assertThat(row.get("duration_ms")).isNotNull();
        Map<String, Object> day = jdbc.sql("select * from n4j_usage_daily where tenant_id = ?").param(tenant)
            .query().singleRow();
        assertThat(day).containsEntry("requests", 1L).containsEntry("input_tokens", 30L)
            .containsEntry("reasoning_tokens", 20L).containsEntry("output_tokens", 40L);

        // Settling twice books nothing twice.
        assertThat(service.settle(admission, Settlement.completed(new Usage(30, 20, 40), "STOP"))).isFalse();
        assertThat(jdbc.sql("select requests from n4j_usage_daily where tenant_id = ?").param(tenant)
            .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void dailyQuotaCountsHeldAndBookedTokensAndSaysWhenItResets() {
        UUID tenant = tenant(TenantLimits.tokensPerDay(300));
        Admission first = service.admit(AdmissionRequest.of(tenant, "nano", 50, 100));
        service.settle(first, Settlement.completed(new Usage(50, 0, 30), "STOP"));
        Admission held = service.admit(AdmissionRequest.of(tenant, "nano", 20, 100));
        // booked 80 + held 120 = 200; 120 more would make 320 > 300.
        AdmissionRejectedException rejected = assertThatExceptionOfType(AdmissionRejectedException.class)
            .isThrownBy(() -> service.admit(AdmissionRequest.of(tenant, "nano", 20, 100)))
            .actual();
        assertThat(rejected.limit()).isEqualTo(Limit.TOKENS_PER_DAY);
        assertThat(rejected.limitValue()).isEqualByComparingTo("300");
        assertThat(rejected.current()).isEqualByComparingTo("200");
        assertThat(rejected.requested()).isEqualByComparingTo("120");
        assertThat(rejected.resetsAt())
            .isEqualTo(Periods.at(held.startedAt(), ZoneId.of("Europe/Paris")).dayEnds())
            .isAfter(held.startedAt());
        assertThat(audit(rejected.requestId())).containsEntry("outcome", "REJECTED")
            .containsEntry("reject_limit", "TOKENS_PER_DAY");
        assertThat(reservations(tenant)).isEqualTo(1);

        // A smaller request still fits: 200 + 100 = 300.
        Admission fits = service.admit(AdmissionRequest.of(tenant, "nano", 0, 100));
        service.settle(held, Settlement.completed(new Usage(20, 0, 10), "STOP"));
        service.settle(fits, Settlement.completed(new Usage(0, 0, 100), "LENGTH"));
        assertThat(jdbc.sql("""
                select sum(input_tokens + reasoning_tokens + output_tokens) from n4j_usage_daily where tenant_id = ?
                """).param(tenant).query(Long.class).single()).isEqualTo(210);
    }

    @Test
    void costBudgetUsesPricesPerThousandTokensByType() {
        TenantLimits limits = new TenantLimits(null, null, null, null, null, new BigDecimal("1.00"),
                new BigDecimal("1"), new BigDecimal("4"), new BigDecimal("2"), null, null, null, null, true, null,
                null);
        UUID tenant = tenant(limits);
        Admission a = service.admit(AdmissionRequest.of(tenant, "nano", 100, 100));
        // worst case: 100 * 1/1000 + 100 * max(4, 2)/1000 = 0.5
        service.settle(a, Settlement.completed(new Usage(100, 50, 50), "STOP"));
        // actual: 0.1 + 0.2 + 0.1 = 0.4
        assertThat(jdbc.sql("select cost from n4j_request_audit where id = ?").param(a.requestId())
            .query(BigDecimal.class).single()).isEqualByComparingTo("0.4");
        Admission b = service.admit(AdmissionRequest.of(tenant, "nano", 100, 100));
        AdmissionRejectedException rejected = assertThatExceptionOfType(AdmissionRejectedException.class)
            .isThrownBy(() -> service.admit(AdmissionRequest.of(tenant, "nano", 100, 100)))
            .actual();
        assertThat(rejected.limit()).isEqualTo(Limit.COST_PER_MONTH);
        assertThat(rejected.current()).isEqualByComparingTo("0.9");
        assertThat(rejected.requested()).isEqualByComparingTo("0.5");
        service.settle(b, Settlement.completed(new Usage(100, 0, 0), "STOP"));
    }

    @Test
    void concurrencyRequestsPerMinuteAndTokensPerMinute() {
        UUID tenant = tenant(new TenantLimits(null, null, null, null, null, null, BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, 3, 500L, 2, null, true, null, null));
        Admission a = service.admit(AdmissionRequest.of(tenant, "nano", 10, 90));
        Admission b = service.admit(AdmissionRequest.of(tenant, "nano", 10, 90));
        AdmissionRejectedException concurrent = assertThatExceptionOfType(AdmissionRejectedException.class)
            .isThrownBy(() -> service.admit(AdmissionRequest.of(tenant, "nano", 10, 90)))
            .actual();
        assertThat(concurrent.limit()).isEqualTo(Limit.CONCURRENT_REQUESTS);
        assertThat(concurrent.current()).isEqualByComparingTo("2");
        service.settle(a, Settlement.completed(new Usage(10, 0, 5), "STOP"));

        // tokens in the minute: 15 (settled) + 100 (held) = 115; 400 more would be 515 > 500.
        AdmissionRejectedException tpm = assertThatExceptionOfType(AdmissionRejectedException.class)
            .isThrownBy(() -> service.admit(AdmissionRequest.of(tenant, "nano", 100, 300)))
            .actual();
        assertThat(tpm.limit()).isEqualTo(Limit.TOKENS_PER_MINUTE);
        assertThat(tpm.current()).isEqualByComparingTo("115");
        assertThat(tpm.resetsAt()).isEqualTo(a.startedAt().plus(Duration.ofMinutes(1)));

        Admission c = service.admit(AdmissionRequest.of(tenant, "nano", 10, 90));
        service.settle(b, Settlement.completed(new Usage(10, 0, 5), "STOP"));
        // Three requests started in the minute (the refused ones do not count): the fourth is refused.
        AdmissionRejectedException rpm = assertThatExceptionOfType(AdmissionRejectedException.class)
            .isThrownBy(() -> service.admit(AdmissionRequest.of(tenant, "nano", 1, 1)))
            .actual();
        assertThat(rpm.limit()).isEqualTo(Limit.REQUESTS_PER_MINUTE);
        assertThat(rpm.current()).isEqualByComparingTo("3");
        service.settle(c, Settlement.completed(new Usage(10, 0, 5), "STOP"));
    }

    @Test
    void perRequestLimitsAndThinkingPolicy() {
        UUID tenant = tenant(new TenantLimits(null, null, null, null, null, null, BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, null, null, null, 512, true, 128, 256));
        assertThat(assertThatExceptionOfType(AdmissionRejectedException.class)
            .isThrownBy(() -> service.admit(AdmissionRequest.of(tenant, "nano", 10, 513)))
            .actual()
            .limit()).isEqualTo(Limit.MAX_TOKENS_PER_REQUEST);
        assertThat(assertThatExceptionOfType(AdmissionRejectedException.class)
            .isThrownBy(() -> service.admit(thinking(tenant, 300)))
            .actual()
            .limit()).isEqualTo(Limit.THINKING_BUDGET);
        assertThat(assertThatExceptionOfType(AdmissionRejectedException.class)
            .isThrownBy(() -> service.admit(thinking(tenant, -1)))
            .actual()
            .limit()).isEqualTo(Limit.THINKING_BUDGET);
        Admission defaulted = service.admit(thinking(tenant, null));
        assertThat(defaulted.thinkingBudget()).isEqualTo(128);
        Admission asked = service.admit(thinking(tenant, 200));
        assertThat(asked.thinkingBudget()).isEqualTo(200);
        assertThat(audit(asked.requestId())).containsEntry("thinking", true).containsEntry("thinking_budget", 200);
        service.settle(defaulted, Settlement.completed(new Usage(1, 1, 1), "STOP"));
        service.settle(asked, Settlement.completed(new Usage(1, 1, 1), "STOP"));

        UUID noThinking = tenant(new TenantLimits(null, null, null, null, null, null, BigDecimal.ZERO,
                BigDecimal.ZERO, BigDecimal.ZERO, null, null, null, null, false, null, null));
        assertThat(assertThatExceptionOfType(AdmissionRejectedException.class)
            .isThrownBy(() -> service.admit(thinking(noThinking, null)))
            .actual()
            .limit()).isEqualTo(Limit.THINKING_NOT_ALLOWED);
        tenants.setEnabled(noThinking, false);
        assertThat(assertThatExceptionOfType(AdmissionRejectedException.class)
            .isThrownBy(() -> service.admit(AdmissionRequest.of(noThinking, "nano", 1, 1)))
            .actual()
            .limit()).isEqualTo(Limit.TENANT_DISABLED);
    }

    private static AdmissionRequest thinking(UUID tenant, Integer budget) {
        return new AdmissionRequest(tenant, null, "alice", "nano", 10, 100, true, budget, 0.6, "10.0.0.1",
                "trace-1");
    }

    @Test
    void unknownTenantAndInvalidInputAreRefusedWithoutWriting() {
        long before = TestDatabase.count(dataSource, "select count(*) from n4j_request_audit");
        assertThatExceptionOfType(UnknownTenantException.class)
            .isThrownBy(() -> service.admit(AdmissionRequest.of(UUID.randomUUID(), "nano", 1, 1)));
        assertThatIllegalArgumentException().isThrownBy(() -> AdmissionRequest.of(UUID.randomUUID(), "nano", -1, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> AdmissionRequest.of(UUID.randomUUID(), "nano", 1, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> TenantLimits.tokensPerDay(-5));
        assertThatIllegalArgumentException().isThrownBy(() -> new Settlement(new Usage(1, 1, 1), Outcome.STARTED,
                null, null, null));
        assertThat(TestDatabase.count(dataSource, "select count(*) from n4j_request_audit")).isEqualTo(before);
    }

    @Test
    void expiredLeasesAreReleasedAndMarkedAbandonedRenewedOnesAreNot() {
        UUID tenant = tenant(TenantLimits.tokensPerDay(1000));
        GovernanceService shortLease = new GovernanceService(jdbc, new DataSourceTransactionManager(dataSource),
                Duration.ofMillis(300));
        Admission dies = shortLease.admit(AdmissionRequest.of(tenant, "nano", 100, 400));
        Admission lives = shortLease.admit(AdmissionRequest.of(tenant, "nano", 100, 300));
        // The second one's owner renews with a long lease, as a long generation would.
        assertThat(service.renewLease(lives)).isTrue();
        awaitPast(dies.leaseUntil());
        // 500 + 400 held: a 200-token request does not fit until the dead one is swept.
        assertThatExceptionOfType(AdmissionRejectedException.class)
            .isThrownBy(() -> service.admit(AdmissionRequest.of(tenant, "nano", 100, 100)));
        assertThat(service.sweepExpiredLeases()).isGreaterThanOrEqualTo(1);
        assertThat(audit(dies.requestId())).containsEntry("outcome", "ABANDONED");
        assertThat(audit(lives.requestId())).containsEntry("outcome", "STARTED");
        assertThat(reservations(tenant)).isEqualTo(1);
        // Settling the abandoned request later books nothing; the live one settles normally.
        assertThat(shortLease.settle(dies, Settlement.completed(new Usage(100, 0, 400), "STOP"))).isFalse();
        assertThat(audit(dies.requestId())).containsEntry("outcome", "ABANDONED");
        Admission fits = service.admit(AdmissionRequest.of(tenant, "nano", 100, 100));
        assertThat(service.settle(lives, Settlement.completed(new Usage(100, 0, 300), "STOP"))).isTrue();
        assertThat(service.settle(fits, Settlement.completed(new Usage(100, 0, 0), "STOP"))).isTrue();
        assertThat(jdbc.sql("select sum(requests) from n4j_usage_daily where tenant_id = ?").param(tenant)
            .query(Long.class).single()).isEqualTo(2);
    }

    private static void awaitPast(Instant instant) {
        while (Instant.now().isBefore(instant.plusMillis(50))) {
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
    }

}
