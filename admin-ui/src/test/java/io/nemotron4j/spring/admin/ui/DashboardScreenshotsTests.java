package io.nemotron4j.spring.admin.ui;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Screenshots of every page, light and dark, at 1280 px (and the overview at phone width), of a dashboard with a
 * few tenants and two weeks of history. They go to {@code target/screenshots}; the README's are refreshed with
 * {@code -Dnemotron4j.screenshots=../docs/images} (see docs/ADMIN-UI.md). Each page must render its content (not
 * an error) before it is taken, so this is also a test that every page loads with data in both themes.
 */
// Closed after the class: its pool and sweeper must not outlive the schema on a shared server.
@DirtiesContext
@SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class DashboardScreenshotsTests {

    private static final TestSchema schema = new TestSchema();

    private static final Path OUTPUT = Path.of(System.getProperty("nemotron4j.screenshots", "target/screenshots"));

    private static final int WIDTH = 1280;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        DashboardTestApplication.properties(registry, schema);
    }

    @AfterAll
    static void dropSchema() {
        schema.drop();
    }

    @LocalServerPort
    private int port;

    @Autowired
    private DataSource dataSource;

    @Test
    void everyPageInBothThemes() throws Exception {
        seed();
        List<Path> written = new ArrayList<>();
        try (Browser browser = new Browser(WIDTH, 900)) {
            browser.open(base());
            written.add(shoot(browser, "login", "light"));
            browser.theme("dark");
            written.add(shoot(browser, "login", "dark"));
            browser.type(By.name("username"), DashboardTestApplication.ADMIN);
            browser.type(By.name("password"), DashboardTestApplication.PASSWORD);
            browser.click(By.cssSelector("#login-form button[type=submit]"));
            browser.visible(By.id("nav"));
            for (String theme : List.of("light", "dark")) {
                browser.theme(theme);
                written.addAll(pages(browser, theme));
            }
            browser.theme("light");
        }
        try (Browser phone = new Browser(390, 844)) {
            phone.open(base());
            phone.type(By.name("username"), DashboardTestApplication.ADMIN);
            phone.type(By.name("password"), DashboardTestApplication.PASSWORD);
            phone.click(By.cssSelector("#login-form button[type=submit]"));
            phone.waitForText(By.id("live-figures"), "Decode speed");
            phone.waitForText(By.id("top-tenants"), "search-team");
            written.add(shoot(phone, "overview-phone", "light", 390));
            // Usable at phone width: no page scrolls sideways (wide tables scroll inside their own box).
            for (String page : List.of("overview", "tenants", "keys", "usage", "audit", "playground")) {
                phone.open(base() + "#/" + page);
                phone.visible(By.cssSelector("a[data-page=" + page + "][aria-current=page]"));
                phone.visible(By.cssSelector("main h1"));
                assertThat((Long) phone.script("return document.documentElement.scrollWidth")).as(page)
                    .isLessThanOrEqualTo(390);
            }
        }
        for (Path file : written) {
            byte[] png = Files.readAllBytes(file);
            assertThat(png).hasSizeGreaterThan(10_000);
            assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
        assertThat(written).hasSize(2 * (1 + 9) + 1);
    }

    private List<Path> pages(Browser browser, String theme) {
        List<Path> written = new ArrayList<>();
        browser.open(base() + "#/overview");
        browser.waitForText(By.id("top-tenants"), "search-team");
        browser.waitForText(By.id("model-facts"), "tokens");
        written.add(shoot(browser, "overview", theme));

        browser.open(base() + "#/tenants");
        browser.waitForText(By.tagName("main"), "intern-sandbox");
        written.add(shoot(browser, "tenants", theme));
        browser.click(By.linkText("search-team"));
        browser.waitForText(By.tagName("main"), "Usage now");
        written.add(shoot(browser, "tenant-edit", theme));

        browser.open(base() + "#/keys");
        browser.choose(By.id("key-tenant"), "search-team");
        browser.type(By.cssSelector("#key-form [name=name]"), "nightly-batch-" + theme);
        browser.click(By.id("create-key"));
        browser.visible(By.id("new-secret"));
        browser.waitForText(By.id("key-list"), "nightly-batch-" + theme);
        written.add(shoot(browser, "keys", theme));

        browser.open(base() + "#/usage");
        browser.waitForText(By.id("usage-table"), "Total");
        written.add(shoot(browser, "usage", theme));

        browser.open(base() + "#/audit");
        browser.waitForText(By.id("audit-table"), "COMPLETED");
        written.add(shoot(browser, "audit", theme));
        browser.click(By.cssSelector("#audit-table tbody tr.clickable"));
        browser.waitForText(By.id("request-detail"), "Tenant");
        written.add(shoot(browser, "audit-detail", theme));
        browser.click(By.cssSelector("dialog .dialog-head button"));
        browser.click(By.id("verify-chain"));
        browser.waitForText(By.id("verify-result"), "intact");
        browser.click(By.id("tab-admin"));
        browser.waitForText(By.id("admin-audit-table"), DashboardTestApplication.ADMIN);
        written.add(shoot(browser, "audit-admin", theme));

        browser.open(base() + "#/playground");
        browser.choose(By.name("tenantId"), "search-team");
        browser.type(By.name("prompt"), "Why is the sky blue? One sentence.");
        browser.click(By.id("send-prompt"));
        browser.waitForText(By.id("token-counts"), "Output");
        browser.click(By.cssSelector("#reasoning-panel summary"));
        written.add(shoot(browser, "playground", theme));
        return written;
    }

    private Path shoot(Browser browser, String page, String theme) {
        return shoot(browser, page, theme, WIDTH);
    }

    private Path shoot(Browser browser, String page, String theme, int width) {
        Path file = OUTPUT.resolve("dashboard-" + page + "-" + theme + ".png");
        browser.screenshot(file, width);
        return file;
    }

    private String base() {
        return "http://127.0.0.1:" + this.port + "/nemotron/admin/";
    }

    /**
     * Four tenants with limits and keys, a dozen real requests through the playground, then two weeks of booked
     * history and the last day's requests spread over its hours, so that the charts have a shape. Only the history
     * is written in SQL: the admin API has no way to back-date usage, nor should it.
     */
    private void seed() {
        AdminApiClient api = new AdminApiClient(this.port);
        String search = api.createTenant("search-team", "Europe/Berlin", Map.of("tokensPerDay", 250_000,
                "tokensPerMonth", 4_000_000, "requestsPerMinute", 120, "thinkingMaxBudget", 2048,
                "priceInputPer1k", 0.0004, "priceReasoningPer1k", 0.0016, "priceOutputPer1k", 0.0016));
        String support = api.createTenant("support-bot", "America/New_York",
                Map.of("tokensPerDay", 60_000, "concurrentRequests", 4, "maxTokensPerRequest", 1024));
        String science = api.createTenant("data-science", "UTC", Map.of());
        String sandbox = api.createTenant("intern-sandbox", "Asia/Tokyo",
                Map.of("tokensPerDay", 2_000, "thinkingAllowed", false));
        api.createKey(search, "indexer");
        api.createKey(support, "helpdesk-web");
        for (int i = 0; i < 12; i++) {
            String tenant = List.of(search, support, science).get(i % 3);
            api.play(Map.of("tenantId", tenant, "prompt", "Question " + i, "thinking", i % 2 == 0,
                    "thinkingBudget", 256, "maxTokens", 128));
        }
        assertThat(api.play(Map.of("tenantId", sandbox, "prompt", "Over the quota?", "thinking", false,
                "maxTokens", 2500))).isEqualTo(429);
        JdbcClient jdbc = JdbcClient.create(this.dataSource);
        LocalDate today = LocalDate.now();
        List<String> tenants = List.of(search, support, science);
        // A tenant's day is its own time zone's: shortly after midnight UTC, New York's requests above were booked on
        // yesterday's row, which the history then adds to.
        for (int day = 1; day <= 14; day++) {
            for (int t = 0; t < tenants.size(); t++) {
                long scale = (3 - t) * 9_000L + ((day * 7919L + t * 104_729L) % 11) * 2_300L;
                jdbc.sql("insert into n4j_usage_daily (tenant_id, day, requests, input_tokens, reasoning_tokens, "
                        + "output_tokens, cost) values (?::uuid, ?, ?, ?, ?, ?, ?) on conflict (tenant_id, day) do "
                        + "update set requests = n4j_usage_daily.requests + excluded.requests, "
                        + "input_tokens = n4j_usage_daily.input_tokens + excluded.input_tokens, "
                        + "reasoning_tokens = n4j_usage_daily.reasoning_tokens + excluded.reasoning_tokens, "
                        + "output_tokens = n4j_usage_daily.output_tokens + excluded.output_tokens, "
                        + "cost = n4j_usage_daily.cost + excluded.cost")
                    .params(tenants.get(t), today.minusDays(day), scale / 600, scale, scale * 2 / 3, scale / 2,
                            scale * 0.0000021)
                    .update();
            }
        }
        // Spreading the requests over the day rewrites final audit rows, which the append-only trigger refuses; the
        // scene is set as a superuser would, with the trigger off for this one statement.
        jdbc.sql("alter table n4j_request_audit disable trigger n4j_request_audit_final_rows").update();
        jdbc.sql("update n4j_request_audit set started_at = started_at - make_interval(hours => "
                + "(abs(hashtext(id::text)) % 23))")
            .update();
        jdbc.sql("alter table n4j_request_audit enable trigger n4j_request_audit_final_rows").update();
    }

}
