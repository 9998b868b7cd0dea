package io.nemotron4j.spring.governance;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.nemotron4j.spring.autoconfigure.NemotronGovernanceAutoConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application contexts (two replicas, each with its own connection pool) share one database; 200 requests of
 * one tenant race against its daily token quota. Afterwards the booked usage is within the quota, every request has
 * exactly one audit row, and no reservation is left.
 */
class TwoReplicasConcurrencyTests {

    /** 33 reservations of 150 tokens fill it exactly, so admitting one request too many always shows. */
    private static final long QUOTA = 4_950;

    private static final int REQUESTS = 200;

    private static TestDatabase database;

    private static ConfigurableApplicationContext replicaA;

    private static ConfigurableApplicationContext replicaB;

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ DataSourceAutoConfiguration.class, NemotronGovernanceAutoConfiguration.class })
    static class Replica {

    }

    @BeforeAll
    static void start() {
        database = TestDatabase.create();
        replicaA = replica();
        replicaB = replica();
    }

    private static ConfigurableApplicationContext replica() {
        return new SpringApplicationBuilder(Replica.class).web(WebApplicationType.NONE)
            .properties("spring.datasource.url=" + database.url(), "spring.datasource.username=" + TestDatabase.USER,
                    "spring.datasource.hikari.maximum-pool-size=8", "nemotron.governance.sweep-interval=1h")
            .run();
    }

    @AfterAll
    static void stop() {
        replicaA.close();
        replicaB.close();
        database.close();
    }

    @Test
    void bookedUsageStaysWithinTheQuotaAndEveryRequestIsAuditedOnce() throws Exception {
        Tenants tenants = replicaA.getBean(Tenants.class);
        UUID tenant = tenants.create("racing-team", ZoneId.of("UTC"));
        tenants.putLimits(tenant, TenantLimits.tokensPerDay(QUOTA));
        GovernanceService[] replicas = { replicaA.getBean(GovernanceService.class),
                replicaB.getBean(GovernanceService.class) };

        Set<UUID> requestIds = ConcurrentHashMap.newKeySet();
        AtomicLong settledTokens = new AtomicLong();
        AtomicLong admitted = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        long began;
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                GovernanceService service = replicas[i % 2];
                futures.add(pool.submit(() -> {
                    go.await();
                    int prompt = 50;
                    try {
                        Admission admission = service.admit(AdmissionRequest.of(tenant, "nano", prompt, 100));
                        admitted.incrementAndGet();
                        requestIds.add(admission.requestId());
                        Thread.sleep(ThreadLocalRandom.current().nextInt(0, 3));
                        // Most generations run to the reserved maximum, so any overbooking at admission would show
                        // in the booked total; the rest stop early and release part of their reservation.
                        int generated = ThreadLocalRandom.current().nextInt(10) == 0
                                ? ThreadLocalRandom.current().nextInt(0, 100) : 100;
                        int reasoning = generated / 3;
                        Usage usage = new Usage(prompt, reasoning, generated - reasoning);
                        assertThat(service.settle(admission, Settlement.completed(usage, "STOP"))).isTrue();
                        settledTokens.addAndGet(usage.total());
                    }
                    catch (AdmissionRejectedException ex) {
                        rejected.incrementAndGet();
                        requestIds.add(ex.requestId());
                        assertThat(ex.limit()).isEqualTo(Limit.TOKENS_PER_DAY);
                    }
                    return null;
                }));
            }
            began = System.nanoTime();
            go.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
        }
        long millis = (System.nanoTime() - began) / 1_000_000;

        DataSource db = replicaB.getBean(DataSource.class);
        long booked = TestDatabase.count(db, "select coalesce(sum(input_tokens + reasoning_tokens + output_tokens), 0)"
                + " from n4j_usage_daily where tenant_id = '" + tenant + "'");
        long bookedRequests = TestDatabase.count(db,
                "select coalesce(sum(requests), 0) from n4j_usage_daily where tenant_id = '" + tenant + "'");
        long auditRows = TestDatabase.count(db,
                "select count(*) from n4j_request_audit where tenant_id = '" + tenant + "'");
        long distinctAudited = TestDatabase.count(db,
                "select count(distinct id) from n4j_request_audit where tenant_id = '" + tenant + "'");
        long completed = TestDatabase.count(db, "select count(*) from n4j_request_audit where tenant_id = '" + tenant
                + "' and outcome = 'COMPLETED'");
        long auditedTokens = TestDatabase.count(db,
                "select coalesce(sum(input_tokens + reasoning_tokens + output_tokens), 0) from n4j_request_audit"
                        + " where tenant_id = '" + tenant + "'");
        long reservationsLeft = TestDatabase.count(db, "select count(*) from n4j_reservation");

        System.out.printf(
                "two replicas, %d requests in %d ms: admitted %d, rejected %d; booked %d of quota %d tokens "
                        + "(%d requests); audit rows %d (distinct %d); reservations left %d%n",
                REQUESTS, millis, admitted.get(), rejected.get(), booked, QUOTA, bookedRequests, auditRows,
                distinctAudited, reservationsLeft);

        assertThat(admitted.get() + rejected.get()).isEqualTo(REQUESTS);
        assertThat(booked).isLessThanOrEqualTo(QUOTA);
        // The quota was actually contended: at least one request was refused, and after settlement released the
        // unused part of reservations, at least as many requests were admitted as the quota holds at worst case.
        assertThat(rejected.get()).isPositive();
        assertThat(admitted.get()).isGreaterThanOrEqualTo(QUOTA / 150);
        assertThat(auditRows).isEqualTo(REQUESTS);
        assertThat(distinctAudited).isEqualTo(REQUESTS);
        assertThat(requestIds).hasSize(REQUESTS);
        assertThat(completed).isEqualTo(admitted.get());
        assertThat(reservationsLeft).isZero();
        // The usage counters and the audit agree to the token: no drift between them.
        assertThat(booked).isEqualTo(settledTokens.get()).isEqualTo(auditedTokens);
        assertThat(bookedRequests).isEqualTo(admitted.get());
    }

}
