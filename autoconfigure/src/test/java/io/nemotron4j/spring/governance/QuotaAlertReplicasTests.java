package io.nemotron4j.spring.governance;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nemotron4j.spring.autoconfigure.NemotronGovernanceAutoConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application contexts (two replicas) share one database and settle 100 concurrent requests of one tenant that
 * together use its daily quota exactly: each of the thresholds 50, 80 and 100 percent is raised once in all, with
 * one application event, one count in the meters and one webhook post each.
 */
class QuotaAlertReplicasTests {

    private static final int REQUESTS = 100;

    private static final int TOKENS = 100;

    private static TestDatabase database;

    private static WebhookReceiver receiver;

    private static ConfigurableApplicationContext replicaA;

    private static ConfigurableApplicationContext replicaB;

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ DataSourceAutoConfiguration.class, NemotronGovernanceAutoConfiguration.class })
    static class Replica {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        HeardEvents heardEvents() {
            return new HeardEvents();
        }

    }

    static class HeardEvents implements ApplicationListener<QuotaAlertEvent> {

        final List<QuotaAlert> alerts = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(QuotaAlertEvent event) {
            this.alerts.add(event.alert());
        }

    }

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.create();
        receiver = WebhookReceiver.start();
        replicaA = replica();
        replicaB = replica();
    }

    private static ConfigurableApplicationContext replica() {
        return new SpringApplicationBuilder(Replica.class).web(WebApplicationType.NONE)
            .properties("spring.datasource.url=" + database.url(), "spring.datasource.username=" + TestDatabase.USER,
                    "spring.datasource.hikari.maximum-pool-size=8", "nemotron.governance.sweep-interval=1h",
                    "nemotron.governance.alerts.thresholds=50,80,100",
                    "nemotron.governance.alerts.webhook-url=" + receiver.url())
            .run();
    }

    @AfterAll
    static void stop() {
        replicaA.close();
        replicaB.close();
        receiver.close();
        database.close();
    }

    @Test
    void eachThresholdIsRaisedOnceAcrossBothReplicas() throws Exception {
        Tenants tenants = replicaA.getBean(Tenants.class);
        UUID tenant = tenants.create("alerted-team", ZoneId.of("UTC"));
        tenants.putLimits(tenant, TenantLimits.tokensPerDay((long) REQUESTS * TOKENS));
        GovernanceService[] replicas = { replicaA.getBean(GovernanceService.class),
                replicaB.getBean(GovernanceService.class) };
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                GovernanceService service = replicas[i % 2];
                futures.add(pool.submit(() -> {
                    go.await();
                    Admission admission = service.admit(AdmissionRequest.of(tenant, "nano", 0, TOKENS));
                    return service.settle(admission, Settlement.completed(new Usage(0, 0, TOKENS), "STOP"));
                }));
            }
            go.countDown();
            for (Future<Boolean> future : futures) {
                assertThat(future.get()).isTrue();
            }
        }
        List<QuotaAlert> events = new ArrayList<>(replicaA.getBean(HeardEvents.class).alerts);
        events.addAll(replicaB.getBean(HeardEvents.class).alerts);
        double counted = counted(replicaA) + counted(replicaB);
        long rows = TestDatabase.count(replicaA.getBean(javax.sql.DataSource.class),
                "select count(*) from n4j_quota_alert where tenant_id = '" + tenant + "'");
        List<String> posts = receiver.awaitPosts(3, Duration.ofSeconds(10));
        Thread.sleep(300);
        posts = receiver.posts();
        System.out.printf("two replicas, %d settlements: alert rows %d, events %d (A %d, B %d), counted %.0f, "
                + "webhook posts %d%n", REQUESTS, rows, events.size(), replicaA.getBean(HeardEvents.class).alerts.size(),
                replicaB.getBean(HeardEvents.class).alerts.size(), counted, posts.size());

        assertThat(rows).isEqualTo(3);
        assertThat(events).extracting(QuotaAlert::thresholdPercent).containsExactlyInAnyOrder(50, 80, 100);
        assertThat(events).allSatisfy((alert) -> assertThat(alert.tenantName()).isEqualTo("alerted-team"));
        assertThat(counted).isEqualTo(3.0);
        assertThat(posts).hasSize(3);
        Set<String> postedIds = posts.stream()
            .map((post) -> post.replaceAll(".*\"alertId\":\"([^\"]+)\".*", "$1"))
            .collect(Collectors.toSet());
        assertThat(postedIds).isEqualTo(events.stream().map((alert) -> alert.id().toString())
            .collect(Collectors.toSet()));
    }

    private static double counted(ConfigurableApplicationContext replica) {
        MeterRegistry registry = replica.getBean(MeterRegistry.class);
        return Search.in(registry).name(QuotaAlertMetrics.METER).tag("limit", "TOKENS_PER_DAY").counters().stream()
            .mapToDouble((counter) -> counter.count())
            .sum();
    }

}
