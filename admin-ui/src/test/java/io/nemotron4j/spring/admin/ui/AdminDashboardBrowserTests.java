package io.nemotron4j.spring.admin.ui;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in real headless Chromium against a real application: Spring Security's session login of the admin
 * API, PostgreSQL, the engine running the test model. Each test signs in afresh in a new browser profile.
 */
// Closed after the class: its pool and sweeper must not outlive the schema on a shared server.
@DirtiesContext
@SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class AdminDashboardBrowserTests {

    private static final TestSchema schema = new TestSchema();

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

    private Browser browser;

    @BeforeEach
    void startBrowser() {
        this.browser = new Browser(1280, 900);
    }

    @AfterEach
    void closeBrowser() {
        this.browser.close();
    }

    private String dashboard() {
        return "http://127.0.0.1:" + this.port + "/nemotron/admin/";
    }

    private void signIn(String user, String password) {
        // Without a session the admin chain sends the browser to the sign-in page.
        this.browser.open(dashboard());
        this.browser.type(By.name("username"), user);
        this.browser.type(By.name("password"), password);
        this.browser.click(By.cssSelector("#login-form button[type=submit]"));
    }

    private void signInAsAdmin() {
        signIn(DashboardTestApplication.ADMIN, DashboardTestApplication.PASSWORD);
        this.browser.visible(By.id("nav"));
    }

    @Test
    void signsInShowsTheOverviewAndSignsOut() {
        this.browser.open(dashboard());
        assertThat(this.browser.url()).endsWith("/nemotron/admin/login");
        assertThat(this.browser.visible(By.id("login-form")).getText()).contains("Sign in");
        assertThat(this.browser.all(By.id("nav"))).isEmpty();

        signInAsAdmin();
        assertThat(this.browser.url()).contains("/nemotron/admin/").endsWith("#/overview");
        assertThat(this.browser.waitForText(By.id("whoami"), DashboardTestApplication.ADMIN))
            .isEqualTo(DashboardTestApplication.ADMIN);
        assertThat(this.browser.waitForText(By.cssSelector("main h1"), "Overview")).isEqualTo("Overview");
        // The model facts come from Actuator's nemotron endpoint: the test model's context length and weight type.
        assertThat(this.browser.waitForText(By.id("model-facts"), "tokens")).contains("4,096 tokens", "cpu")
            .contains("Quantization\nF16");

        // The theme toggle switches and is remembered across loads.
        String theme = (String) this.browser.script("return document.documentElement.dataset.theme");
        String other = theme.equals("dark") ? "light" : "dark";
        this.browser.click(By.id("theme-toggle"));
        assertThat(this.browser.script("return document.documentElement.dataset.theme")).isEqualTo(other);
        assertThat(this.browser.visible(By.id("theme-toggle")).getAttribute("aria-label"))
            .isEqualTo("Switch to " + theme + " theme");
        this.browser.open(dashboard());
        this.browser.visible(By.id("nav"));
        assertThat(this.browser.script("return document.documentElement.dataset.theme")).isEqualTo(other);

        this.browser.click(By.id("logout"));
        assertThat(this.browser.waitForText(By.id("login-message"), "signed out")).contains("You have signed out");
        // The session is gone on the server too: the dashboard asks for credentials again.
        this.browser.open(dashboard());
        this.browser.visible(By.id("login-form"));
        assertThat(this.browser.all(By.id("nav"))).isEmpty();
    }

    @Test
    void aWrongPasswordIsRefused() {
        signIn(DashboardTestApplication.ADMIN, "not-the-password");
        assertThat(this.browser.waitForText(By.id("login-message"), "failed")).contains("Sign-in failed");
        assertThat(this.browser.all(By.id("nav"))).isEmpty();
    }

    @Test
    void aUserWithoutTheAdminRoleIsRefused() {
        signIn(DashboardTestApplication.VIEWER, DashboardTestApplication.PASSWORD);
        // Signed in, but the admin chain refuses the dashboard: back on the sign-in page, which says why.
        assertThat(this.browser.waitForText(By.id("login-message"), "admin role"))
            .isEqualTo("You are signed in as " + DashboardTestApplication.VIEWER
                    + ", but this account lacks the admin role. Sign in below as another user who has it.");
        assertThat(this.browser.url()).endsWith("/nemotron/admin/login?denied");
        assertThat(this.browser.all(By.id("nav"))).isEmpty();
        // Its API stays a 403 problem.
        this.browser.open(dashboard() + "api/tenants");
        assertThat(this.browser.waitForText(By.tagName("body"), "403")).contains("Forbidden").doesNotContain("team-");
        // The form right there signs in as another user, who gets the dashboard.
        this.browser.open(dashboard());
        this.browser.visible(By.id("login-message"));
        this.browser.type(By.name("username"), DashboardTestApplication.ADMIN);
        this.browser.type(By.name("password"), DashboardTestApplication.PASSWORD);
        this.browser.click(By.cssSelector("#login-form button[type=submit]"));
        assertThat(this.browser.waitForText(By.id("whoami"), DashboardTestApplication.ADMIN))
            .isEqualTo(DashboardTestApplication.ADMIN);
    }

    @Test
    void pagesThroughTheAuditLogWithItsCursor() {
        // 55 refusals (cheap audit rows): more than the 50 of one page.
        AdminApiClient api = new AdminApiClient(this.port);
        String tenant = api.createTenant("team-pager", "UTC", Map.of("tokensPerDay", 1));
        for (int i = 0; i < 55; i++) {
            assertThat(api.play(Map.of("tenantId", tenant, "prompt", "Page " + i, "thinking", false))).isEqualTo(429);
        }
        signInAsAdmin();
        this.browser.click(By.cssSelector("a[data-page=audit]"));
        this.browser.choose(By.cssSelector("#audit-filters [name=tenant]"), "team-pager");
        this.browser.click(By.cssSelector("button[form=audit-filters]"));
        assertThat(this.browser.waitForText(By.id("audit-count"), "50 requests shown")).contains("more available");
        assertThat(this.browser.all(By.cssSelector("#audit-table tbody tr.clickable"))).hasSize(50);
        this.browser.click(By.id("load-more"));
        assertThat(this.browser.waitForText(By.id("audit-count"), "55 requests shown")).doesNotContain("more");
        assertThat(this.browser.all(By.cssSelector("#audit-table tbody tr.clickable"))).hasSize(55);
        this.browser.gone(By.id("load-more"));
        // Newest first, and no row twice across the pages.
        List<String> ids = this.browser.all(By.cssSelector("#audit-table tbody tr.clickable"))
            .stream()
            .map(row -> row.getAttribute("data-request"))
            .toList();
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void governsATenantFromCreationToRefusal() {
        signInAsAdmin();

        // A tenant with a daily token quota and a thinking policy.
        this.browser.click(By.cssSelector("a[data-page=tenants]"));
        this.browser.click(By.id("new-tenant"));
        this.browser.type(By.name("name"), "team-blue");
        this.browser.type(By.name("timeZone"), "Europe/Paris");
        this.browser.type(By.name("limits.tokensPerDay"), "20000");
        this.browser.type(By.name("limits.thinkingMaxBudget"), "1024");
        this.browser.click(By.id("save-tenant"));
        this.browser.atFragment("#/tenants");
        assertThat(this.browser.waitForText(By.cssSelector("tr[data-tenant='team-blue']"), "20K"))
            .contains("team-blue", "Europe/Paris", "0 / 20K", "Enabled");

        // A name already taken: the API's 409 names the field, and its message appears beside it.
        this.browser.click(By.id("new-tenant"));
        this.browser.type(By.name("name"), "team-blue");
        this.browser.click(By.id("save-tenant"));
        assertThat(this.browser.waitForText(By.cssSelector("[data-error-for='name']"), "taken"))
            .isEqualTo("is already taken");
        assertThat(this.browser.visible(By.name("name")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(this.browser.all(By.cssSelector("#form-error:not([hidden])"))).isEmpty();
        this.browser.click(By.linkText("Cancel"));
        this.browser.waitForText(By.cssSelector("tr[data-tenant='team-blue']"), "20K");
        assertThat(this.browser.all(By.cssSelector("tr[data-tenant='team-blue']"))).hasSize(1);

        // The API's validation message appears beside the field, and nothing changes.
        this.browser.click(By.linkText("team-blue"));
        this.browser.type(By.name("limits.tokensPerDay"), "-5");
        this.browser.click(By.id("save-tenant"));
        String message = this.browser.visible(By.cssSelector("[data-error-for='limits.tokensPerDay']")).getText();
        assertThat(message).isNotBlank();
        assertThat(this.browser.visible(By.name("limits.tokensPerDay")).getAttribute("aria-invalid")).isEqualTo("true");
        this.browser.click(By.linkText("Cancel"));
        assertThat(this.browser.waitForText(By.cssSelector("tr[data-tenant='team-blue']"), "20K")).contains("0 / 20K");

        // A key: its secret is shown once, the list shows only its prefix.
        this.browser.click(By.cssSelector("a[data-page=keys]"));
        this.browser.choose(By.id("key-tenant"), "team-blue");
        this.browser.type(By.cssSelector("#key-form [name=name]"), "billing-service");
        this.browser.click(By.id("create-key"));
        String secret = this.browser.visible(By.id("new-secret")).getText();
        assertThat(secret).startsWith("n4j_");
        String row = this.browser.waitForText(By.cssSelector("tr[data-key='billing-service']"), "Active");
        assertThat(row).doesNotContain(secret);
        String prefix = this.browser.visible(By.cssSelector("tr[data-key='billing-service'] code")).getText();
        assertThat(secret).startsWith("n4j_" + prefix + "_");
        // Revoked after a confirmation; the row stays, marked.
        this.browser.click(By.cssSelector("button[aria-label='Revoke billing-service']"));
        this.browser.acceptConfirm();
        assertThat(this.browser.waitForText(By.cssSelector("tr[data-key='billing-service']"), "Revoked"))
            .doesNotContain("Active");
        assertThat(this.browser.all(By.cssSelector("button[aria-label='Revoke billing-service']"))).isEmpty();

        // The playground: reasoning and answer stream apart, token counts at the end.
        this.browser.click(By.cssSelector("a[data-page=playground]"));
        this.browser.choose(By.name("tenantId"), "team-blue");
        assertThat(this.browser.visible(By.name("thinkingBudget")).getAttribute("max")).isEqualTo("1024");
        this.browser.script("const s = document.querySelector('[name=thinkingBudget]'); s.value = 384;"
                + " s.dispatchEvent(new Event('input'));");
        assertThat(this.browser.visible(By.id("budget-value")).getText()).isEqualTo("384");
        this.browser.type(By.name("prompt"), "What colour is the sky?");
        this.browser.click(By.id("send-prompt"));
        assertThat(this.browser.waitForText(By.id("token-counts"), "Output")).contains("Input", "Reasoning");
        assertThat(this.browser.visible(By.id("answer-text")).getText().strip()).isEqualTo(ScriptedAnswers.ANSWER);
        this.browser.click(By.cssSelector("#reasoning-panel summary"));
        assertThat(this.browser.visible(By.id("reasoning-text")).getText().strip())
            .isEqualTo(ScriptedAnswers.REASONING);

        // The request is in the audit log, with its thinking budget and the admin as principal.
        this.browser.click(By.cssSelector("a[data-page=audit]"));
        String auditRow = this.browser.waitForText(By.cssSelector("#audit-table tbody"), "COMPLETED");
        assertThat(auditRow).contains("team-blue");
        this.browser.click(By.cssSelector("#audit-table tbody tr.clickable"));
        assertThat(this.browser.waitForText(By.id("request-detail"), "budget"))
            .contains("on, budget 384", DashboardTestApplication.ADMIN, "COMPLETED");
        this.browser.click(By.cssSelector("dialog .dialog-head button"));

        // Over quota: a daily quota smaller than the request's reservation is refused, clearly.
        this.browser.click(By.cssSelector("a[data-page=tenants]"));
        this.browser.click(By.linkText("team-blue"));
        this.browser.type(By.name("limits.tokensPerDay"), "10");
        this.browser.click(By.id("save-tenant"));
        this.browser.atFragment("#/tenants");
        this.browser.click(By.cssSelector("a[data-page=playground]"));
        this.browser.choose(By.name("tenantId"), "team-blue");
        this.browser.type(By.name("prompt"), "And at night?");
        this.browser.click(By.id("send-prompt"));
        String refusal = this.browser.visible(By.id("refusal")).getText();
        assertThat(refusal).contains("Refused", "Limit value", "10");

        // The refusal is audited too.
        this.browser.click(By.cssSelector("a[data-page=audit]"));
        this.browser.choose(By.cssSelector("#audit-filters [name=tenant]"), "team-blue");
        this.browser.choose(By.cssSelector("#audit-filters [name=outcome]"), "rejected");
        this.browser.click(By.cssSelector("button[form=audit-filters]"));
        assertThat(this.browser.waitForText(By.id("audit-count"), "1 request shown")).contains("1 request shown");
        assertThat(this.browser.visible(By.cssSelector("#audit-table tbody")).getText()).contains("REJECTED");

        // Every change above is in the admin-change log, and its chain verifies.
        this.browser.click(By.id("verify-chain"));
        assertThat(this.browser.waitForText(By.id("verify-result"), "intact")).contains("Chain intact");
        this.browser.click(By.id("tab-admin"));
        assertThat(this.browser.waitForText(By.id("admin-audit-table"), DashboardTestApplication.ADMIN))
            .containsIgnoringCase("tenant");

        // Retention: an out-of-range value is refused beside its field; a valid one is kept; a purge reports.
        this.browser.click(By.id("tab-retention"));
        this.browser.type(By.cssSelector("#retention-form [name=months]"), "0");
        this.browser.click(By.cssSelector("#retention-form button[type=submit]"));
        assertThat(this.browser.visible(By.cssSelector("#retention-form [data-error-for='months']")).getText())
            .isNotBlank();
        this.browser.type(By.cssSelector("#retention-form [name=months]"), "24");
        this.browser.click(By.cssSelector("#retention-form button[type=submit]"));
        assertThat(this.browser.waitForText(By.id("retention-result"), "24 months")).contains("kept for 24 months");
        this.browser.click(By.id("purge"));
        this.browser.acceptConfirm();
        assertThat(this.browser.waitForText(By.id("retention-result"), "drop")).contains("Nothing to drop");
    }

}
