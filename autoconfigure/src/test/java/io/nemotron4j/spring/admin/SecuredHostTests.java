package io.nemotron4j.spring.admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.sql.DataSource;

import io.nemotron4j.spring.admin.securedhost.SecuredHostApplication;
import io.nemotron4j.spring.governance.TestDatabase;
import io.nemotron4j.spring.testsupport.TinyModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host that secures its own routes keeps that security, the admin routes keep theirs, and a host user mapped to
 * a tenant is charged for its chat requests by principal.
 */
@SpringBootTest(classes = SecuredHostApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Closed after the class: its pool and sweeper must not outlive the schema on a server shared by parallel builds.
@DirtiesContext
class SecuredHostTests {

    private static final TestDatabase database = TestDatabase.create();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", database::url);
        registry.add("spring.datasource.username", () -> TestDatabase.USER);
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "4");
        registry.add("nemotron.governance.admin.password", () -> "{noop}s3cret");
        registry.add("nemotron.model.path", () -> TinyModel.path().toString());
        registry.add("nemotron.engine.threads", () -> "1");
        registry.add("nemotron.chat.max-tokens", () -> "32");
    }

    @AfterAll
    static void drop() {
        database.close();
    }

    @LocalServerPort
    private int port;

    @Autowired
    private DataSource dataSource;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theHostsChainGuardsTheHostsRoutesAndTheAdminChainTheAdminRoutes() throws Exception {
        assertThat(post("/chat", "text/plain", "hi", null).statusCode()).isEqualTo(401);
        // The admin chain knows only its built-in user, the host's chain only the host's users.
        assertThat(get("/nemotron/admin/api/me", basic("alice", "pw")).statusCode()).isEqualTo(401);
        assertThat(get("/nemotron/admin/api/me", basic("admin", "s3cret")).statusCode()).isEqualTo(200);
        assertThat(post("/chat", "text/plain", "hi", basic("admin", "s3cret")).statusCode()).isEqualTo(401);
    }

    @Test
    void aHostUserMappedToATenantIsChargedByPrincipal() throws Exception {
        HttpResponse<String> created = post("/nemotron/admin/api/tenants", "application/json",
                "{\"name\": \"alice-team\", \"principal\": \"alice\"}", basic("admin", "s3cret"));
        assertThat(created.statusCode()).isEqualTo(201);
        HttpResponse<String> answer = post("/chat", "text/plain", "hi", basic("alice", "pw"));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("hi alice");
        assertThat(TestDatabase.count(this.dataSource, """
                select count(*) from n4j_request_audit a join n4j_tenant t on t.id = a.tenant_id
                where t.name = 'alice-team' and a.principal = 'alice' and a.outcome = 'COMPLETED'
                    and a.client_address is not null
                """)).isEqualTo(1);
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        return this.http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", authorization).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String type, String body, String authorization)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + this.port + path);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

}
