package io.nemotron4j.spring.admin.ui;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the dashboard serves, over real HTTP through the admin API's security chain: the sign-in page to anyone, with
 * the chain's CSRF token in its form; the page and its assets only to admins, with the Actuator path of this
 * application and cache headers that never leave a stale dashboard behind.
 */
// Closed after the class: its pool and sweeper must not outlive the schema on a shared server.
@DirtiesContext
@SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "server.servlet.context-path=/app", "management.endpoints.web.base-path=/manage" })
class DashboardServingTests {

    private static final TestSchema schema = new TestSchema();

    private static final Pattern CSRF_FIELD = Pattern
        .compile("<input type=\"hidden\" name=\"_csrf\" value=\"([^\"]+)\">");

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

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theSignInPageIsOpenToAnyoneAndCarriesTheChainsCsrfToken() throws Exception {
        HttpResponse<String> page = get("/login", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(header(page, "Content-Type")).startsWith("text/html");
        assertThat(header(page, "Cache-Control")).contains("no-store");
        assertThat(page.body()).contains("id=\"login-form\" method=\"post\" action=\"login\"")
            .contains(".login-card {")
            .doesNotContain("{{")
            .doesNotContain("login-message");
        Matcher field = CSRF_FIELD.matcher(page.body());
        assertThat(field.find()).isTrue();
        String cookie = page.headers()
            .allValues("Set-Cookie")
            .stream()
            .filter(c -> c.startsWith("XSRF-TOKEN="))
            .findFirst()
            .orElseThrow();
        assertThat(cookie).startsWith("XSRF-TOKEN=" + field.group(1) + ";");

        assertThat(get("/login?error", null).body()).contains("id=\"login-message\"", "Sign-in failed");
        assertThat(get("/login?logout", null).body()).contains("id=\"login-message\"", "You have signed out");
    }

    @Test
    void thePageAndItsAssetsAreForAdminsOnly() throws Exception {
        assertThat(get("/", null).statusCode()).isEqualTo(401);
        assertThat(get("/assets/app.js", null).statusCode()).isEqualTo(401);
        assertThat(get("/", DashboardTestApplication.VIEWER).statusCode()).isEqualTo(403);
        assertThat(get("/assets/app.js", DashboardTestApplication.VIEWER).statusCode()).isEqualTo(403);
        // A browser opening a page without the role is sent to the sign-in page, which says why.
        HttpRequest page = HttpRequest.newBuilder(request("/", DashboardTestApplication.VIEWER), (name, value) -> true)
            .header("Accept", "text/html,application/xhtml+xml")
            .build();
        HttpResponse<String> navigation = this.http.send(page, HttpResponse.BodyHandlers.ofString());
        assertThat(navigation.statusCode()).isEqualTo(302);
        assertThat(header(navigation, "Location")).endsWith("/app/nemotron/admin/login?denied");
        assertThat(get("/login?denied", DashboardTestApplication.VIEWER).body()).contains("id=\"login-message\"",
                "You are signed in as <strong>" + DashboardTestApplication.VIEWER + "</strong>",
                "lacks the admin role");
    }

    @Test
    void thePageKnowsWhereActuatorIsAndIsNeverStored() throws Exception {
        HttpResponse<String> page = get("/", DashboardTestApplication.ADMIN);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(header(page, "Cache-Control")).contains("no-store");
        // The context path and management base path of this application, not the defaults.
        assertThat(page.body()).contains("<meta name=\"nemotron-actuator\" content=\"/app/manage\">")
            .contains("<script type=\"module\" src=\"assets/app.js\"></script>");
    }

    @Test
    void assetsAreScriptsAndStylesThatAreRevalidated() throws Exception {
        HttpResponse<String> script = get("/assets/pages/playground.js", DashboardTestApplication.ADMIN);
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(header(script, "Content-Type")).startsWith("text/javascript");
        assertThat(header(script, "Cache-Control")).contains("no-cache");
        assertThat(script.body()).contains("export async function render(main)");
        HttpResponse<String> styles = get("/assets/styles.css", DashboardTestApplication.ADMIN);
        assertThat(header(styles, "Content-Type")).startsWith("text/css");
        assertThat(get("/assets/missing.js", DashboardTestApplication.ADMIN).statusCode()).isEqualTo(404);
    }

    @Test
    void theBasePathWithoutItsSlashRedirectsToTheDashboard() throws Exception {
        HttpResponse<String> response = this.http.send(request("", DashboardTestApplication.ADMIN),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValue("/app/nemotron/admin/");
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " header"));
    }

    private HttpResponse<String> get(String path, String user) throws IOException, InterruptedException {
        return this.http.send(request(path, user), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path, String user) {
        HttpRequest.Builder builder = HttpRequest
            .newBuilder(URI.create("http://127.0.0.1:" + this.port + "/app/nemotron/admin" + path));
        if (user != null) {
            builder.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + DashboardTestApplication.PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        return builder.build();
    }

}
