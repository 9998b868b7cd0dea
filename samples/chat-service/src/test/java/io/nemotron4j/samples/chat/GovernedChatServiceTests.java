package io.nemotron4j.samples.chat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's governance walk-through over real HTTP: an admin creates a tenant with a daily token quota and a key;
 * the key's requests are answered until the quota is used up, then refused with 429, a {@code Retry-After} and a
 * problem naming the limit; a request without a key is 401; the audit and the usage report show what happened.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "nemotron.model.path=classpath:nemotron-h-tok-tekken.gguf", "nemotron.model.name=tiny",
                "nemotron.engine.threads=1", "nemotron.governance.admin.password={noop}walkthrough",
                "spring.datasource.hikari.maximum-pool-size=3" })
class GovernedChatServiceTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final FreshSchema SCHEMA = new FreshSchema();

    private static final long DAILY_QUOTA = 200;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", SCHEMA::url);
        registry.add("spring.datasource.username", () -> FreshSchema.USER);
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.close();
    }

    private HttpResponse<String> chat(String key, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/chat"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> stream(String key) throws IOException, InterruptedException {
        return this.http.send(HttpRequest
            .newBuilder(URI.create("http://localhost:" + this.port + "/chat/stream?message=hi&maxTokens=48&thinking=false"))
            .header("X-API-Key", key)
            .timeout(Duration.ofSeconds(60))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTenantIsAnsweredUntilItsQuotaIsUsedUpThenRefusedWith429() throws Exception {
        Admin admin = new Admin(this.http, this.port, "walkthrough");
        String tenant = admin.createTenant("{\"name\": \"team-a\", \"limits\": {\"tokensPerDay\": " + DAILY_QUOTA
                + ", \"maxTokensPerRequest\": 64}}");
        String key = admin.issueKey(tenant, "team-a-laptop");

        HttpResponse<String> keyless = chat(null, "{\"message\": \"hi\", \"maxTokens\": 16, \"thinking\": false}");
        assertThat(keyless.statusCode()).isEqualTo(401);
        assertThat(keyless.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));

        HttpResponse<String> tooLarge = chat(key, "{\"message\": \"hi\", \"maxTokens\": 500, \"thinking\": false}");
        assertThat(tooLarge.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(tooLarge.body()).get("limit").asString()).isEqualTo("MAX_TOKENS_PER_REQUEST");

        int answered = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            HttpResponse<String> response = chat(key, "{\"message\": \"hi\", \"maxTokens\": 48, \"thinking\": false}");
            if (response.statusCode() == 429) {
                refused = response;
            }
            else {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                answered++;
            }
        }
        assertThat(answered).isPositive();
        assertThat(refused).as("refused within 20 requests").isNotNull();
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 25L * 3600));
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.get("limit").asString()).isEqualTo("TOKENS_PER_DAY");
        assertThat(problem.get("limitValue").asLong()).isEqualTo(DAILY_QUOTA);
        assertThat(problem.get("current").asLong() + problem.get("requested").asLong()).isGreaterThan(DAILY_QUOTA);

        HttpResponse<String> streamRefused = stream(key);
        assertThat(streamRefused.statusCode()).as(streamRefused.body()).isEqualTo(429);

        JsonNode usage = JSON.readTree(admin.send("GET", "/usage?tenant=" + tenant, null).body());
        JsonNode totals = usage.get("totals");
        long booked = totals.get("inputTokens").asLong() + totals.get("reasoningTokens").asLong()
                + totals.get("outputTokens").asLong();
        assertThat(booked).isPositive().isLessThanOrEqualTo(DAILY_QUOTA);
        assertThat(totals.get("requests").asLong()).isEqualTo(answered);

        JsonNode audit = JSON.readTree(admin.send("GET", "/audit/requests?tenant=" + tenant + "&limit=100", null)
            .body());
        long completed = 0;
        long rejected = 0;
        for (JsonNode row : audit.get("items")) {
            completed += row.get("outcome").asString().equals("COMPLETED") ? 1 : 0;
            rejected += row.get("outcome").asString().equals("REJECTED") ? 1 : 0;
        }
        assertThat(completed).isEqualTo(answered);
        assertThat(rejected).isEqualTo(3);
    }

}
