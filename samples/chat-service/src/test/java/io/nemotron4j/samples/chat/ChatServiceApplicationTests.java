package io.nemotron4j.samples.chat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.nemotron4j.engine.generate.GenerationOptions;
import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.spring.chat.TokenChooserFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat service end to end on the tiny model, over real HTTP: calls, streams, thinking on and off, the thinking
 * budget, tools, and the metrics as {@code /actuator/prometheus} prints them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "nemotron.model.path=classpath:nemotron-h-tok-tekken.gguf", "nemotron.model.name=tiny",
                "nemotron.engine.threads=1",
                "nemotron.governance.admin.password={noop}" + ChatServiceApplicationTests.ADMIN_PASSWORD,
                "spring.datasource.hikari.maximum-pool-size=3" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatServiceApplicationTests {

    static final String ADMIN_PASSWORD = "sample-admin";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final FreshSchema SCHEMA = new FreshSchema();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", SCHEMA::url);
        registry.add("spring.datasource.username", () -> FreshSchema.USER);
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.close();
    }

    /** The API key of a tenant without limits, which every chat request of these tests is charged to. */
    private String key;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @TestConfiguration
    static class Script {

        @Bean
        TokenChooserFactory scriptedModel(NemotronEngine engine) {
            return new ScriptedModel(engine);
        }

    }

    @BeforeAll
    void createTenantAndKey() throws IOException, InterruptedException {
        Admin admin = new Admin(this.http, this.port, ADMIN_PASSWORD);
        String tenant = admin.createTenant("{\"name\": \"sample-tests\"}");
        this.key = admin.issueKey(tenant, "tests");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
            .header("Authorization", "Bearer " + this.key)
            .timeout(Duration.ofSeconds(60))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String json) throws IOException, InterruptedException {
        return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/chat"))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + this.key)
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode chat(String json) throws IOException, InterruptedException {
        HttpResponse<String> response = post(json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** One server-sent event. */
    record Event(String name, JsonNode data) {
    }

    private List<Event> stream(String query) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/chat/stream?" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        List<Event> events = new ArrayList<>();
        for (String block : response.body().split("\n\n")) {
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event:")) {
                    name = line.substring("event:".length()).strip();
                }
                else if (line.startsWith("data:")) {
                    data.append(line.substring("data:".length()));
                }
            }
            if (name != null) {
                events.add(new Event(name, JSON.readTree(data.toString())));
            }
        }
        return events;
    }

    private static String text(List<Event> events, String name) {
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e.name().equals(name)).forEach(e -> text.append(e.data().get("text").asString()));
        return text.toString();
    }

    private static String query(String message, String more) {
        return "message=" + URLEncoder.encode(message, StandardCharsets.UTF_8) + more;
    }

    @Test
    void postChatAnswersWithTheReasoningApart() throws Exception {
        JsonNode reply = chat("{\"message\": \"hello there\"}");
        assertThat(reply.get("answer").asString()).isEqualTo("Hello from Nemotron.");
        assertThat(reply.get("reasoning").asString()).isEqualTo("The user greets me.");
        assertThat(reply.get("finishReason").asString()).isEqualTo("STOP");
        assertThat(reply.get("model").asString()).isEqualTo("tiny");
        assertThat(reply.get("usage").get("reasoningTokens").asInt()).isPositive();
        assertThat(reply.get("usage").get("completionTokens").asInt())
            .isGreaterThan(reply.get("usage").get("reasoningTokens").asInt());
        assertThat(reply.get("usage").get("promptTokens").asInt()).isPositive();
    }

    @Test
    void thinkingCanBeSwitchedOffPerRequest() throws Exception {
        JsonNode reply = chat("{\"message\": \"hello there\", \"thinking\": false}");
        assertThat(reply.get("answer").asString()).isEqualTo("Hello from Nemotron.");
        assertThat(reply.get("reasoning").asString()).isEmpty();
        assertThat(reply.get("usage").get("reasoningTokens").asInt()).isZero();
    }

    @Test
    void theThinkingBudgetCutsTheReasoningShort() throws Exception {
        JsonNode reply = chat("{\"message\": \"ponder the answer\", \"thinkingBudget\": 8}");
        assertThat(reply.get("finishReason").asString()).isEqualTo("THINKING_BUDGET");
        assertThat(reply.get("answer").asString()).isEqualTo("Forty-two.");
        assertThat(reply.get("reasoning").asString()).startsWith("hmm hmm");
        assertThat(reply.get("usage").get("reasoningTokens").asInt()).isBetween(8,
                8 + GenerationOptions.DEFAULT_THINKING_GRACE);
    }

    @Test
    void theModelCanUseTheClock() throws Exception {
        JsonNode reply = chat("{\"message\": \"What time is it in Tokyo?\", \"tools\": true}");
        assertThat(reply.get("answer").asString()).startsWith("The clock says ").endsWith(" in Asia/Tokyo.");
        assertThat(reply.get("answer").asString()).containsPattern("\\d{4}, \\d{2}:\\d{2}");
        assertThat(reply.get("reasoning").asString()).isEqualTo("Reading the clock.");
    }

    @Test
    void withoutAScriptTheRandomModelStillAnswersWithinTheLimit() throws Exception {
        JsonNode reply = chat("{\"message\": \"Tell me something\", \"maxTokens\": 6, \"thinking\": false}");
        assertThat(reply.get("finishReason").asString()).isIn("STOP", "LENGTH");
        assertThat(reply.get("usage").get("completionTokens").asInt()).isBetween(1, 6);
    }

    @Test
    void badRequestsSayWhatIsWrong() throws Exception {
        HttpResponse<String> empty = post("{\"message\": \" \"}");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("message must not be empty");
        HttpResponse<String> budget = post("{\"message\": \"hello\", \"thinkingBudget\": -5}");
        assertThat(budget.statusCode()).isEqualTo(400);
        assertThat(budget.body()).contains("thinkingBudget");
        HttpResponse<String> tooLong = post("{\"message\": \"" + "word ".repeat(5000) + "\"}");
        assertThat(tooLong.statusCode()).isEqualTo(413);
        assertThat(tooLong.body()).contains("context is 4,096");
    }

    @Test
    void theStreamRefusesAnEmptyMessage() throws Exception {
        HttpResponse<String> response = get("/chat/stream?message=%20");
        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void theStreamSendsReasoningThenAnswerThenASummary() throws Exception {
        List<Event> events = stream(query("hello there", ""));
        assertThat(text(events, "reasoning")).isEqualTo("The user greets me.");
        assertThat(text(events, "answer")).isEqualTo("Hello from Nemotron.");
        int lastReasoning = -1;
        int firstAnswer = Integer.MAX_VALUE;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).name().equals("reasoning")) {
                lastReasoning = i;
            }
            if (events.get(i).name().equals("answer")) {
                firstAnswer = Math.min(firstAnswer, i);
            }
        }
        assertThat(lastReasoning).isLessThan(firstAnswer);
        Event done = events.getLast();
        assertThat(done.name()).isEqualTo("done");
        assertThat(done.data().get("finishReason").asString()).isEqualTo("STOP");
        assertThat(done.data().get("usage").get("reasoningTokens").asInt()).isPositive();
        assertThat(events.stream().filter(e -> e.name().equals("done"))).hasSize(1);
    }

    @Test
    void theStreamHonoursThinkingOffAndTheBudget() throws Exception {
        List<Event> off = stream(query("hello there", "&thinking=false"));
        assertThat(text(off, "reasoning")).isEmpty();
        assertThat(text(off, "answer")).isEqualTo("Hello from Nemotron.");

        List<Event> budget = stream(query("ponder the answer", "&thinkingBudget=6"));
        assertThat(text(budget, "reasoning")).startsWith("hmm hmm");
        assertThat(text(budget, "answer")).isEqualTo("Forty-two.");
        assertThat(budget.getLast().data().get("finishReason").asString()).isEqualTo("THINKING_BUDGET");
        assertThat(budget.getLast().data().get("usage").get("reasoningTokens").asInt()).isBetween(6,
                6 + GenerationOptions.DEFAULT_THINKING_GRACE);
    }

    @Test
    void theStreamRunsToolsAndStreamsTheAnswer() throws Exception {
        List<Event> events = stream(query("What time is it in Tokyo?", "&tools=true&thinking=false"));
        String answer = text(events, "answer");
        assertThat(answer).startsWith("The clock says ").endsWith(" in Asia/Tokyo.").doesNotContain("TOOLCALL");
        assertThat(events.getLast().name()).isEqualTo("done");
        assertThat(events.getLast().data().get("finishReason").asString()).isEqualTo("STOP");
    }

    @Test
    void theMetricsAreOnThePrometheusEndpoint() throws Exception {
        chat("{\"message\": \"hello there\"}");
        stream(query("hello there", ""));
        chat("{\"message\": \"ponder the answer\", \"thinkingBudget\": 4}");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String scrape = get("/actuator/prometheus").body();
            assertThat(value(scrape, "nemotron_time_to_first_token_seconds_count\\{model=\"tiny\"}")).isGreaterThanOrEqualTo(3);
            assertThat(value(scrape, "gen_ai_client_operation_seconds_count\\{[^}]*gen_ai_system=\"nemotron\"[^}]*}"))
                .isGreaterThanOrEqualTo(3);
        });
        String scrape = get("/actuator/prometheus").body();
        assertThat(value(scrape, "nemotron_time_per_output_token_seconds_count\\{model=\"tiny\"}")).isGreaterThanOrEqualTo(3);
        assertThat(value(scrape, "nemotron_tokens_total\\{model=\"tiny\",type=\"input\"}")).isPositive();
        assertThat(value(scrape, "nemotron_tokens_total\\{model=\"tiny\",type=\"reasoning\"}")).isPositive();
        assertThat(value(scrape, "nemotron_tokens_total\\{model=\"tiny\",type=\"output\"}")).isPositive();
        assertThat(value(scrape, "nemotron_requests_total\\{finish_reason=\"THINKING_BUDGET\",model=\"tiny\"}"))
            .isGreaterThanOrEqualTo(1);
        assertThat(value(scrape, "nemotron_requests_active\\{model=\"tiny\"}")).isZero();
        assertThat(value(scrape, "nemotron_requests_queued\\{model=\"tiny\"}")).isZero();
        assertThat(value(scrape,
                "gen_ai_client_token_usage_total\\{[^}]*gen_ai_system=\"nemotron\"[^}]*gen_ai_token_type=\"input\"[^}]*}"))
            .isPositive();
        assertThat(value(scrape,
                "gen_ai_client_token_usage_total\\{[^}]*gen_ai_system=\"nemotron\"[^}]*gen_ai_token_type=\"output\"[^}]*}"))
            .isPositive();
    }

    /** The value of the first series matching the pattern (name and labels). */
    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)").matcher(scrape);
        assertThat(m.find()).as("series %s in\n%s", series, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void healthInfoAndTheNemotronEndpointDescribeTheModel() throws Exception {
        chat("{\"message\": \"hello there\"}");
        JsonNode health = JSON.readTree(get("/actuator/health").body());
        assertThat(health.get("status").asString()).isEqualTo("UP");
        JsonNode nemotron = health.get("components").get("nemotron");
        assertThat(nemotron.get("status").asString()).isEqualTo("UP");
        assertThat(nemotron.get("details").get("model").asString()).isEqualTo("tiny");
        assertThat(nemotron.get("details").get("backend").asString()).isEqualTo("cpu");
        assertThat(nemotron.get("details").get("contextLength").asInt()).isEqualTo(4096);

        JsonNode info = JSON.readTree(get("/actuator/info").body());
        assertThat(info.get("nemotron").get("architecture").asString()).isEqualTo("nemotron_h");

        JsonNode endpoint = JSON.readTree(get("/actuator/nemotron").body());
        assertThat(endpoint.get("model").get("name").asString()).isEqualTo("tiny");
        assertThat(endpoint.get("generations").get("completed").asLong()).isPositive();
        assertThat(endpoint.get("generations").get("tokensGenerated").asLong()).isPositive();
        assertThat(endpoint.get("generations").get("activeSequences").asInt()).isZero();
        assertThat(endpoint.get("generations").get("decodeTokensPerSecond").asDouble()).isPositive();
    }
}
