package io.nemotron4j.starter.governance.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.nemotron4j.spring.governance.GovernanceService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A web application with the governance starter (and with it Spring Security) and
 * {@code nemotron.governance.enabled=false}, configuring no security of its own: as with governance on, its routes
 * stay as they were. Nothing of ours is served, and Spring Boot's default chain (a generated password, a login form
 * over everything) does not take over either.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "nemotron.governance.enabled=false")
// Closed after the class: its pool must not outlive this test on a server shared by parallel builds.
@DirtiesContext
class GovernanceOffHostRoutesTests {

    // Governance is off, so nothing is written: the server's database as it is does for JPA's connection.
    private static final String SERVER = System.getenv().getOrDefault("NEMOTRON4J_TEST_DATABASE_URL",
            "jdbc:postgresql://127.0.0.1:5432/test");

    @SpringBootApplication
    static class HostApplication {

        @RestController
        static class Greeting {

            @GetMapping("/greeting")
            String greeting() {
                return "hello";
            }

        }

    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> SERVER);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "2");
    }

    @LocalServerPort
    private int port;

    @Autowired
    private ApplicationContext context;

    @Test
    void theHostsRoutesStayOpenAndNothingOfOursIsServed() throws Exception {
        assertThat(this.context.getBeansOfType(GovernanceService.class)).isEmpty();
        HttpResponse<String> greeting = get("/greeting");
        assertThat(greeting.statusCode()).isEqualTo(200);
        assertThat(greeting.body()).isEqualTo("hello");
        assertThat(greeting.headers().firstValue("WWW-Authenticate")).isEmpty();
        // No login form of Spring Boot's default chain, and no admin routes.
        assertThat(get("/login").statusCode()).isEqualTo(404);
        assertThat(get("/nemotron/admin/api/tenants").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
    }

}
