package io.nemotron4j.spring.governance;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Soft-limit alerts raised at settlement, against the real PostgreSQL and a real local HTTP server. */
class QuotaAlertTests {

    private static TestDatabase database;

    private static HikariDataSource dataSource;

    private static JdbcClient jdbc;

    private static Tenants tenants;

    @BeforeAll
    static void migrate() {
        database = TestDatabase.create();
        dataSource = database.dataSource(4);
        jdbc = JdbcClient.create(dataSource);
        new GovernanceSchema(dataSource, 0).migrate();
        tenants = new Tenants(jdbc);
    }

    @AfterAll
    static void drop() {
        dataSource.close();
        database.close();
    }

    private static GovernanceService service(List<Integer> thresholds, QuotaAlertListener listener) {
        return new GovernanceService(jdbc, new DataSourceTransactionManager(dataSource), Duration.ofMinutes(5),
                thresholds, listener);
    }

    private static UUID tenant(String zone, TenantLimits limits) {
        UUID id = tenants.create("alerts-" + UUID.randomUUID(), ZoneId.of(zone));
        tenants.putLimits(id, limits);
        return id;
    }

    /** Admits and settles a request that generates {@code tokens} answer tokens and has no prompt. */
    private static void use(GovernanceService service, UUID tenant, int tokens) {
        Admission admission = service.admit(AdmissionRequest.of(tenant, "nano", 0, tokens));
        assertThat(service.settle(admission, Settlement.completed(new Usage(0, 0, tokens), "STOP"))).isTrue();
    }

    private static long alertRows(UUID tenant) {
        return jdbc.sql("select count(*) from n4j_quota_alert where tenant_id = ?").param(tenant).query(Long.class)
            .single();
    }

    @Test
    void crossingEightyThenHundredPercentRaisesTwoAlertsAndPostsTwoWebhooks() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start();
                QuotaAlertWebhook webhook = new QuotaAlertWebhook(receiver.url(), Duration.ofSeconds(5), 3,
                        Duration.ofMillis(50))) {
            List<QuotaAlert> heard = new CopyOnWriteArrayList<>();
            GovernanceService service = service(List.of(100, 80), (alert) -> {
                heard.add(alert);
                webhook.onAlert(alert);
            });
            UUID tenant = tenant("UTC", TenantLimits.tokensPerDay(1000));
            use(service, tenant, 500);
            assertThat(heard).isEmpty();
            use(service, tenant, 300);
            assertThat(heard).singleElement().satisfies((alert) -> {
                assertThat(alert.tenantId()).isEqualTo(tenant);
                assertThat(alert.limit()).isEqualTo(Limit.TOKENS_PER_DAY);
                assertThat(alert.thresholdPercent()).isEqualTo(80);
                assertThat(alert.used()).isEqualByComparingTo("800");
                assertThat(alert.limitValue()).isEqualByComparingTo("1000");
                assertThat(alert.periodStart()).isEqualTo(LocalDate.ofInstant(alert.raisedAt(), ZoneId.of("UTC")));
                assertThat(alert.periodEnds()).isEqualTo(alert.periodStart().plusDays(1).atStartOfDay(ZoneId.of("UTC"))
                    .toInstant());
            });
            use(service, tenant, 100);
            assertThat(heard).hasSize(1);
            use(service, tenant, 100);
            assertThat(heard).extracting(QuotaAlert::thresholdPercent).containsExactly(80, 100);

            List<String> posts = receiver.awaitPosts(2, Duration.ofSeconds(10));
            assertThat(posts).hasSize(2).allSatisfy((post) -> assertThat(post).startsWith("POST application/json {"));
            JsonNode first = JsonMapper.shared().readTree(posts.getFirst().substring(posts.getFirst().indexOf('{')));
            JsonNode second = JsonMapper.shared().readTree(posts.get(1).substring(posts.get(1).indexOf('{')));
            List<JsonNode> bodies = List.of(first, second);
            assertThat(bodies).extracting((body) -> body.get("thresholdPercent").asInt())
                .containsExactlyInAnyOrder(80, 100);
            assertThat(bodies).allSatisfy((body) -> {
                assertThat(body.get("type").asString()).isEqualTo("nemotron4j.quota-alert");
                assertThat(body.get("tenantId").asString()).isEqualTo(tenant.toString());
                assertThat(body.get("limit").asString()).isEqualTo("TOKENS_PER_DAY");
                assertThat(body.get("limitValue").isIntegralNumber()).isTrue();
                assertThat(body.get("limitValue").asLong()).isEqualTo(1000);
            });
            assertThat(bodies).extracting((body) -> body.get("alertId").asString())
                .containsExactlyInAnyOrderElementsOf(heard.stream().map((alert) -> alert.id().toString()).toList());

            // Further usage of the same day (here: after lowering the limit, so that more fits) alerts no more.
            tenants.putLimits(tenant, TenantLimits.tokensPerDay(1100));
            use(service, tenant, 100);
            assertThat(heard).hasSize(2);
            assertThat(alertRows(tenant)).isEqualTo(2);
            Thread.sleep(300);
            assertThat(receiver.posts()).hasSize(2);
        }
    }

    @Test
    void aNewPeriodAlertsAgain() {
        List<QuotaAlert> heard = new CopyOnWriteArrayList<>();
        GovernanceService service = service(List.of(80), heard::add);
        // UTC-12: its day is always a day or two behind that of UTC+14, so moving the tenant starts a new day.
        UUID tenant = tenant("Etc/GMT+12", TenantLimits.tokensPerDay(1000));
        use(service, tenant, 800);
        jdbc.sql("update n4j_tenant set time_zone = 'Etc/GMT-14' where id = ?").param(tenant).update();
        use(service, tenant, 100);
        assertThat(heard).hasSize(1);
        use(service, tenant, 700);
        assertThat(heard).hasSize(2);
        assertThat(heard.get(1).periodStart()).isAfter(heard.getFirst().periodStart());
        assertThat(heard.get(1).used()).isEqualByComparingTo("800");
        assertThat(alertRows(tenant)).isEqualTo(2);
    }

    @Test
    void everyPeriodLimitOfTokensAndCostAlertsOnItsOwn() {
        List<QuotaAlert> heard = new CopyOnWriteArrayList<>();
        GovernanceService service = service(List.of(50, 80), heard::add);
        TenantLimits limits = new TenantLimits(null, 1000L, 10_000L, new BigDecimal("1.00"), null, null,
                BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal("1.00"), null, null, null, null, true, null, null);
        UUID tenant = tenant("UTC", limits);
        // 850 answer tokens at 1.00 per 1k: 85% of the week's tokens and of the day's cost, 8.5% of the month's.
        use(service, tenant, 850);
        assertThat(heard).extracting((alert) -> alert.limit() + "@" + alert.thresholdPercent())
            .containsExactly("TOKENS_PER_WEEK@50", "TOKENS_PER_WEEK@80", "COST_PER_DAY@50", "COST_PER_DAY@80");
        assertThat(heard.get(2).used()).isEqualByComparingTo("0.85");
        assertThat(QuotaAlertWebhook.payload(heard.get(2))).contains("\"limitValue\":1,\"used\":0.85,");
        assertThat(heard.getFirst().periodStart().getDayOfWeek()).isEqualTo(java.time.DayOfWeek.MONDAY);
    }

    @Test
    void aFailingListenerOrWebhookNeverFailsTheSettlement() throws Exception {
        UUID tenant = tenant("UTC", TenantLimits.tokensPerDay(100));
        GovernanceService throwing = service(List.of(10), (alert) -> {
            throw new IllegalStateException("listener down");
        });
        use(throwing, tenant, 20);
        assertThat(alertRows(tenant)).isEqualTo(1);

        WebhookReceiver closed = WebhookReceiver.start();
        closed.close();
        try (QuotaAlertWebhook webhook = new QuotaAlertWebhook(closed.url(), Duration.ofMillis(500), 2,
                Duration.ofMillis(10))) {
            UUID other = tenant("UTC", TenantLimits.tokensPerDay(100));
            use(service(List.of(10), webhook), other, 20);
            assertThat(alertRows(other)).isEqualTo(1);
        }
        assertThat(TestDatabase.count(dataSource, "select count(*) from n4j_reservation")).isZero();
    }

    @Test
    void theWebhookRetriesServerErrorsButNotRejections() throws Exception {
        QuotaAlert alert = new QuotaAlert(UUID.randomUUID(), UUID.randomUUID(), "t", Limit.TOKENS_PER_DAY, 80,
                LocalDate.of(2026, 11, 23), LocalDate.of(2026, 11, 24).atStartOfDay(ZoneId.of("UTC")).toInstant(),
                BigDecimal.TEN, BigDecimal.valueOf(8), UUID.randomUUID(), java.time.Instant.now());
        try (WebhookReceiver receiver = WebhookReceiver.start(503, 500, 200);
                QuotaAlertWebhook webhook = new QuotaAlertWebhook(receiver.url(), Duration.ofSeconds(5), 3,
                        Duration.ofMillis(20))) {
            webhook.onAlert(alert);
            List<String> posts = receiver.awaitPosts(3, Duration.ofSeconds(10));
            assertThat(posts).hasSize(3).allSatisfy((post) -> assertThat(post).contains(alert.id().toString()));
        }
        try (WebhookReceiver receiver = WebhookReceiver.start(400, 200);
                QuotaAlertWebhook webhook = new QuotaAlertWebhook(receiver.url(), Duration.ofSeconds(5), 3,
                        Duration.ofMillis(20))) {
            webhook.onAlert(alert);
            assertThat(receiver.awaitPosts(1, Duration.ofSeconds(10))).hasSize(1);
            Thread.sleep(300);
            assertThat(receiver.posts()).hasSize(1);
        }
        try (WebhookReceiver receiver = WebhookReceiver.start(503, 503, 503, 200);
                QuotaAlertWebhook webhook = new QuotaAlertWebhook(receiver.url(), Duration.ofSeconds(5), 2,
                        Duration.ofMillis(20))) {
            webhook.onAlert(alert);
            assertThat(receiver.awaitPosts(2, Duration.ofSeconds(10))).hasSize(2);
            Thread.sleep(300);
            assertThat(receiver.posts()).as("attempts are bounded").hasSize(2);
        }
    }

    @Test
    void thresholdsAndWebhookSettingsOutOfRangeAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> service(List.of(80, 0), QuotaAlertListener.NONE))
            .withMessageContaining("1 to 100");
        assertThatIllegalArgumentException().isThrownBy(() -> service(List.of(101), QuotaAlertListener.NONE));
        java.net.URI url = java.net.URI.create("http://127.0.0.1:9/alerts");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new QuotaAlertWebhook(java.net.URI.create("ftp://x/"), Duration.ofSeconds(1), 1,
                    Duration.ZERO));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new QuotaAlertWebhook(url, Duration.ZERO, 1, Duration.ZERO));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new QuotaAlertWebhook(url, Duration.ofSeconds(1), 0, Duration.ZERO));
    }

}
