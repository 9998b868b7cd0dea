package io.nemotron4j.spring.admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.nemotron4j.spring.admin.hostapp.HostApplication;
import io.nemotron4j.spring.chat.NemotronChatModel;
import io.nemotron4j.spring.governance.GovernedChatModel;
import io.nemotron4j.spring.governance.TestDatabase;
import io.nemotron4j.spring.testsupport.EventStreamParser;
import io.nemotron4j.spring.testsupport.TinyModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API over real HTTP against the real PostgreSQL, in a host application with the governance starter's
 * class path, the tiny model and a local JWT decoder.
 */
@SpringBootTest(classes = HostApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Closed after the class: its pool and sweeper must not outlive the schema on a server shared by parallel builds.
@DirtiesContext
class AdminApiTests {

    private static final String API = "/nemotron/admin/api";

    private static final TestDatabase database = TestDatabase.create();

    private static final String ADMIN = basic("admin", "s3cret");

    private static final JsonMapper json = JsonMapper.builder().build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", database::url);
        registry.add("spring.datasource.username", () -> TestDatabase.USER);
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "4");
        registry.add("nemotron.governance.admin.password", () -> "{noop}s3cret");
        registry.add("nemotron.model.path", () -> TinyModel.path().toString());
        registry.add("nemotron.engine.threads", () -> "1");
        registry.add("nemotron.chat.max-tokens", () -> "64");
    }

    @AfterAll
    static void drop() {
        database.close();
    }

    @LocalServerPort
    private int port;

    @Autowired
    private DataSource dataSource;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    @Autowired
    private ChatModel chatModel;

    @Autowired
    private NemotronChatModel rawModel;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @Order(1)
    void everyAdminRouteRefusesAnonymousCallersWith401AndNonAdminsWith403() throws Exception {
        String nonAdmin = "Bearer " + jwt("viewer", List.of("SOMETHING_ELSE"));
        int routes = 0;
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : this.mappings.getHandlerMethods().entrySet()) {
            for (String pattern : entry.getKey().getPatternValues()) {
                if (!pattern.startsWith(API)) {
                    continue;
                }
                String path = pattern.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
                for (var method : entry.getKey().getMethodsCondition().getMethods()) {
                    HttpResponse<String> anonymous = send(method.name(), path, "{}", null);
                    assertThat(anonymous.statusCode()).as("anonymous %s %s", method, path).isEqualTo(401);
                    assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(
                            (type) -> assertThat(type).startsWith("application/problem+json"));
                    assertThat(json.readTree(anonymous.body()).get("status").asInt()).isEqualTo(401);
                    HttpResponse<String> forbidden = send(method.name(), path, "{}", nonAdmin);
                    assertThat(forbidden.statusCode()).as("non-admin %s %s", method, path).isEqualTo(403);
                    assertThat(json.readTree(forbidden.body()).get("status").asInt()).isEqualTo(403);
                    routes++;
                }
            }
        }
        // Every route of the contract: tenants (5), limits (2), keys (3), usage (3), audit (5), retention (3), me,
        // playground.
        assertThat(routes).isEqualTo(23);
    }

    @Test
    @Order(2)
    void theHostsOwnRoutesStayOpenAndAJwtWithTheRoleIsAnAdmin() throws Exception {
        HttpResponse<String> hello = send("GET", "/hello", null, null);
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("hello");
        // The admin API's strict JSON is its own: the host's endpoints still ignore unknown fields.
        HttpResponse<String> greet = send("POST", "/greet", "{\"name\": \"bob\", \"extra\": 1}", null);
        assertThat(greet.statusCode()).isEqualTo(200);
        assertThat(greet.body()).isEqualTo("hello bob");
        // The governed model is the primary ChatModel; the raw one stays injectable by its type.
        assertThat(this.chatModel).isInstanceOf(GovernedChatModel.class);
        assertThat(this.rawModel).isNotSameAs(this.chatModel);
        HttpResponse<String> me = send("GET", API + "/me", null, "Bearer " + jwt("ops", List.of("NEMOTRON_ADMIN")));
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(json.readTree(me.body()).get("name").asString()).isEqualTo("ops");
        HttpResponse<String> basicMe = send("GET", API + "/me", null, ADMIN);
        assertThat(json.readTree(basicMe.body()).get("roles").get(0).asString()).isEqualTo("NEMOTRON_ADMIN");
        // No Basic challenge, so browsers never cache Basic credentials (see ProblemResponses).
        HttpResponse<String> anonymous = send("GET", API + "/me", null, null);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                (value) -> assertThat(value).doesNotStartWith("Basic"));
        assertThat(send("GET", API + "/me", null, basic("admin", "wrong")).statusCode()).isEqualTo(401);
        // The login page's own resources are open (none exists in this application, hence 404 rather than 401).
        assertThat(send("GET", "/nemotron/admin/login/login.css", null, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/nemotron/admin/index.html", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(3)
    void tenantsAreCreatedReadChangedAndDeletedWithEveryChangeInTheAdminAudit() throws Exception {
        JsonNode created = ok(201, send("POST", API + "/tenants", """
                {"name": "team-a", "timeZone": "Europe/Paris", "contentPolicy": "SHA256",
                 "limits": {"tokensPerDay": 1000, "priceOutputPer1k": 0.002}}
                """, ADMIN));
        String id = created.get("id").asString();
        assertThat(created.get("timeZone").asString()).isEqualTo("Europe/Paris");
        assertThat(created.get("limits").get("tokensPerDay").asLong()).isEqualTo(1000);
        assertThat(created.get("usage").get("tokensToday").asLong()).isZero();

        long[] beforeConflict = counts();
        JsonNode conflict = ok(409, send("POST", API + "/tenants", "{\"name\": \"team-a\"}", ADMIN));
        assertThat(conflict.get("errors").findValuesAsString("field")).containsExactly("name");
        // The refused change left no admin-audit entry behind: change and record share one transaction.
        assertThat(counts()).containsExactly(beforeConflict);
        JsonNode patched = ok(200, send("PATCH", API + "/tenants/" + id, "{\"enabled\": false, \"principal\": \"alice\"}",
                ADMIN));
        assertThat(patched.get("enabled").asBoolean()).isFalse();
        assertThat(patched.get("principal").asString()).isEqualTo("alice");
        assertThat(patched.get("name").asString()).isEqualTo("team-a");

        JsonNode limits = ok(200, send("PUT", API + "/tenants/" + id + "/limits",
                "{\"tokensPerWeek\": 5000, \"thinkingAllowed\": false}", ADMIN));
        assertThat(limits.get("tokensPerWeek").asLong()).isEqualTo(5000);
        assertThat(limits.get("tokensPerDay").isNull()).isTrue();
        assertThat(ok(200, send("GET", API + "/tenants/" + id + "/limits", null, ADMIN)).get("thinkingAllowed")
            .asBoolean()).isFalse();
        assertThat(ok(200, send("GET", API + "/tenants", null, ADMIN)).findValuesAsString("name")).contains("team-a");

        assertThat(send("DELETE", API + "/tenants/" + id, null, ADMIN).statusCode()).isEqualTo(204);
        assertThat(send("GET", API + "/tenants/" + id, null, ADMIN).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", API + "/tenants/" + id, null, ADMIN).statusCode()).isEqualTo(404);

        JsonNode admin = ok(200, send("GET", API + "/audit/admin?limit=3", null, ADMIN));
        List<String> actions = admin.get("items").findValuesAsString("action");
        assertThat(actions).containsExactly("tenant.delete", "limits.put", "tenant.update");
        assertThat(admin.get("items").get(0).get("actor").asString()).isEqualTo("admin");
        assertThat(admin.get("items").get(1).get("after").get("tokensPerWeek").asLong()).isEqualTo(5000);
        assertThat(admin.get("items").get(1).get("before").get("tokensPerDay").asLong()).isEqualTo(1000);
        JsonNode next = ok(200, send("GET", API + "/audit/admin?limit=3&cursor=" + admin.get("nextCursor").asString(),
                null, ADMIN));
        assertThat(next.get("items").findValuesAsString("action")).containsExactly("tenant.create");
        assertThat(next.get("nextCursor").isNull()).isTrue();
        JsonNode verify = ok(200, send("POST", API + "/audit/verify", null, ADMIN));
        assertThat(verify.get("adminChain").get("intact").asBoolean()).isTrue();
        assertThat(verify.get("adminChain").get("rows").asLong()).isEqualTo(4);
        JsonNode requestChains = verify.get("requestChains");
        assertThat(requestChains.get("intact").asBoolean()).isTrue();
        assertThat(requestChains.get("rows").asLong()).isEqualTo(TestDatabase.count(this.dataSource,
                "select count(*) from n4j_request_audit where chain_seq is not null"));
        assertThat(requestChains.get("broken").isArray()).isTrue();
        assertThat(requestChains.get("broken").size()).isZero();
    }

    @Test
    @Order(4)
    void invalidInputIs400WithEveryFieldNamedAndChangesNothing() throws Exception {
        String id = ok(201, send("POST", API + "/tenants", "{\"name\": \"strict\"}", ADMIN)).get("id").asString();
        long[] before = counts();
        JsonNode negative = ok(400, send("PUT", API + "/tenants/" + id + "/limits",
                "{\"tokensPerDay\": -1, \"costPerMonth\": 1e13, \"tokensPerMonth\": 10000000000000000}", ADMIN));
        assertThat(negative.get("errors").findValuesAsString("field")).containsExactlyInAnyOrder("tokensPerDay",
                "costPerMonth", "tokensPerMonth");
        assertThat(negative.get("errors").get(0).get("message").asString()).isNotBlank();
        JsonNode unknown = ok(400, send("PUT", API + "/tenants/" + id + "/limits", "{\"tokensPerDya\": 5}", ADMIN));
        assertThat(unknown.get("errors").findValuesAsString("field")).containsExactly("tokensPerDya");
        JsonNode nested = ok(400, send("POST", API + "/tenants",
                "{\"name\": \"x\", \"limits\": {\"concurrentRequests\": -3}}", ADMIN));
        assertThat(nested.get("errors").findValuesAsString("field")).containsExactly("limits.concurrentRequests");
        JsonNode policy = ok(400, send("POST", API + "/tenants",
                "{\"name\": \"" + "n".repeat(101) + "\", \"contentPolicy\": \"ALL\", \"timeZone\": \"Mars/Base\"}",
                ADMIN));
        assertThat(policy.get("errors").findValuesAsString("field")).containsExactlyInAnyOrder("name",
                "contentPolicy", "timeZone");
        assertThat(ok(400, send("PUT", API + "/tenants/" + id + "/limits", "{\"requestsPerMinute\": \"many\"}",
                ADMIN)).get("errors").findValuesAsString("field")).containsExactly("requestsPerMinute");
        assertThat(ok(400, send("GET", API + "/usage?groupBy=fortnight", null, ADMIN)).get("errors")
            .findValuesAsString("field")).containsExactly("groupBy");
        assertThat(ok(400, send("GET", API + "/audit/requests?outcome=EXPLODED", null, ADMIN)).get("errors")
            .findValuesAsString("field")).containsExactly("outcome");
        assertThat(ok(400, send("PUT", API + "/retention", "{\"months\": 0}", ADMIN)).get("errors")
            .findValuesAsString("field")).containsExactly("months");
        assertThat(send("GET", API + "/tenants/not-a-uuid", null, ADMIN).statusCode()).isEqualTo(400);
        assertThat(counts()).containsExactly(before);
    }

    @Test
    @Order(5)
    void keysAreIssuedOnceUsedByTheHostsEndpointsRefusedOverQuotaAndRevoked() throws Exception {
        String id = ok(201, send("POST", API + "/tenants",
                "{\"name\": \"chatty\", \"limits\": {\"tokensPerDay\": 100}}", ADMIN)).get("id").asString();
        JsonNode key = ok(201, send("POST", API + "/tenants/" + id + "/keys", "{\"name\": \"ci\"}", ADMIN));
        String secret = key.get("secret").asString();
        assertThat(secret).startsWith("n4j_" + key.get("prefix").asString());
        JsonNode listed = ok(200, send("GET", API + "/tenants/" + id + "/keys", null, ADMIN));
        assertThat(listed.get(0).get("secret")).isNull();
        assertThat(listed.get(0).get("name").asString()).isEqualTo("ci");

        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        HttpResponse<String> answered = sendWith("POST", "/chat", "hi", Map.of("Authorization", "Bearer " + secret,
                "traceparent", "00-" + trace + "-00f067aa0ba902b7-01"));
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).isEqualTo("the answer");
        assertThat(TestDatabase.count(this.dataSource, "select count(*) from n4j_request_audit where trace_id = '"
                + trace + "' and api_key_id = '" + key.get("id").asString()
                + "' and outcome = 'COMPLETED' and client_address = '127.0.0.1'")).isEqualTo(1);
        HttpResponse<String> keyless = send("POST", "/chat", "hi", null);
        assertThat(keyless.statusCode()).isEqualTo(401);
        assertThat(keyless.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(json.readTree(keyless.body()).get("title").asString()).isEqualTo("API key required");
        HttpResponse<String> bogus = send("POST", "/chat", "hi", "Bearer n4j_000000000000_bogus");
        assertThat(bogus.statusCode()).isEqualTo(401);
        assertThat(json.readTree(bogus.body()).get("title").asString()).isEqualTo("Invalid API key");
        assertThat(ok(200, send("GET", API + "/tenants/" + id + "/keys", null, ADMIN)).get(0).get("lastUsedAt")
            .isNull()).isFalse();

        // 100 tokens a day; a request reserves its prompt plus 64: the second or third is refused.
        HttpResponse<String> refused = null;
        for (int i = 0; i < 10 && refused == null; i++) {
            HttpResponse<String> response = sendWith("POST", "/chat", "hi again", Map.of("X-API-Key", secret));
            if (response.statusCode() == 429) {
                refused = response;
            }
        }
        assertThat(refused).isNotNull();
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        JsonNode problem = json.readTree(refused.body());
        assertThat(problem.get("limit").asString()).isEqualTo("TOKENS_PER_DAY");
        assertThat(problem.get("limitValue").asLong()).isEqualTo(100);
        assertThat(problem.get("tenantId").asString()).isEqualTo(id);
        assertThat(problem.get("requestId").asString()).isNotBlank();
        assertThat(problem.get("resetsAt").asString()).isNotBlank();

        assertThat(send("DELETE", API + "/keys/" + key.get("id").asString(), null, ADMIN).statusCode())
            .isEqualTo(204);
        HttpResponse<String> revoked = send("POST", "/chat", "hi", "Bearer " + secret);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(json.readTree(revoked.body()).get("status").asInt()).isEqualTo(401);
        assertThat(send("DELETE", API + "/keys/" + UUID.randomUUID(), null, ADMIN).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(6)
    void usageReportsAndExportsShowWhatWasBooked() throws Exception {
        String tenant = tenantId("chatty");
        JsonNode report = ok(200, send("GET", API + "/usage?tenant=" + tenant + "&groupBy=month", null, ADMIN));
        assertThat(report.get("rows")).hasSize(1);
        JsonNode row = report.get("rows").get(0);
        assertThat(row.get("tenantName").asString()).isEqualTo("chatty");
        assertThat(row.get("requests").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(row.get("outputTokens").asLong()).isPositive();
        assertThat(report.get("totals").get("requests").asLong()).isEqualTo(row.get("requests").asLong());
        JsonNode hourly = ok(200, send("GET", API + "/usage/hourly?hours=3", null, ADMIN));
        assertThat(hourly).hasSize(3);
        assertThat(hourly.get(2).get("tokens").asLong()).isPositive();
        HttpResponse<String> csv = send("GET", API + "/usage/export?format=csv&groupBy=day", null, ADMIN);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(
                (type) -> assertThat(type).startsWith("text/csv"));
        assertThat(csv.body().lines().toList()).first().asString().startsWith("tenantId,tenantName,period,requests");
        assertThat(csv.body()).contains(",chatty,");
        HttpResponse<String> jsonl = send("GET", API + "/usage/export?format=jsonl", null, ADMIN);
        assertThat(json.readTree(jsonl.body().lines().findFirst().orElseThrow()).get("tenantName").asString())
            .isEqualTo("chatty");
    }

    @Test
    @Order(7)
    void theRequestAuditPagesWithACursorAndExportsEveryMatch() throws Exception {
        String tenant = tenantId("chatty");
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ok(200, send("GET", API + "/audit/requests?tenant=" + tenant + "&limit=1"
                    + ((cursor != null) ? "&cursor=" + cursor : ""), null, ADMIN));
            page.get("items").forEach((item) -> seen.add(item.get("id").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            pages++;
        }
        while (cursor != null && pages < 50);
        assertThat(seen).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(seen.size());
        long rows = JdbcClient.create(this.dataSource).sql("select count(*) from n4j_request_audit where tenant_id = ?")
            .param(UUID.fromString(tenant)).query(Long.class).single();
        assertThat(seen).hasSize((int) rows);

        JsonNode rejected = ok(200, send("GET", API + "/audit/requests?outcome=REJECTED&q=frees", null, ADMIN));
        assertThat(rejected.get("items").findValuesAsString("outcome")).isNotEmpty().containsOnly("REJECTED");
        JsonNode detail = ok(200, send("GET", API + "/audit/requests/" + seen.getFirst(), null, ADMIN));
        assertThat(detail.get("tenantId").asString()).isEqualTo(tenant);
        assertThat(send("GET", API + "/audit/requests/" + UUID.randomUUID(), null, ADMIN).statusCode())
            .isEqualTo(404);
        assertThat(ok(400, send("GET", API + "/audit/requests?cursor=bogus", null, ADMIN)).get("errors")
            .findValuesAsString("field")).containsExactly("cursor");

        HttpResponse<String> csv = send("GET", API + "/audit/requests/export?format=csv&tenant=" + tenant, null,
                ADMIN);
        assertThat(csv.body().lines().count()).isEqualTo(rows + 1);
        assertThat(csv.body().lines().findFirst().orElseThrow()).startsWith("id,startedAt,tenantId");
        HttpResponse<String> jsonl = send("GET", API + "/audit/requests/export?format=jsonl&tenant=" + tenant, null,
                ADMIN);
        assertThat(jsonl.body().lines().map((line) -> json.readTree(line).get("id").asString()).toList())
            .containsExactlyElementsOf(seen);
    }

    @Test
    @Order(8)
    void thePlaygroundStreamsReasoningAndAnswerApartAsTheChosenTenant() throws Exception {
        String tenant = ok(201, send("POST", API + "/tenants", "{\"name\": \"play\"}", ADMIN)).get("id").asString();
        HttpResponse<String> stream = send("POST", API + "/playground",
                "{\"tenantId\": \"" + tenant + "\", \"prompt\": \"why?\", \"thinking\": true, \"maxTokens\": 40}",
                ADMIN);
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
                (type) -> assertThat(type).startsWith("text/event-stream"));
        StringBuilder reasoning = new StringBuilder();
        List<String> answerDeltas = new ArrayList<>();
        JsonNode done = null;
        // Read as any standard EventSource client would, which drops one space after "data:".
        for (EventStreamParser.Event event : EventStreamParser.parse(stream.body())) {
            JsonNode data = json.readTree(event.data());
            switch (event.name()) {
                case "reasoning" -> reasoning.append(data.get("text").asString());
                case "answer" -> answerDeltas.add(data.get("text").asString());
                case "done" -> done = data;
                default -> throw new AssertionError("unexpected event " + event);
            }
        }
        // The scripted answer "the answer" has a token that starts with a space; it must arrive whole.
        assertThat(answerDeltas).anySatisfy((delta) -> assertThat(delta).startsWith(" "));
        String answer = String.join("", answerDeltas);
        assertThat(reasoning.toString()).contains("pondering");
        assertThat(answer).isEqualTo("the answer");
        assertThat(done).isNotNull();
        assertThat(done.get("reasoningTokens").asLong()).isPositive();
        assertThat(done.get("outputTokens").asLong()).isPositive();
        JsonNode row = ok(200, send("GET", API + "/audit/requests/" + done.get("requestId").asString(), null, ADMIN));
        assertThat(row.get("tenantId").asString()).isEqualTo(tenant);
        assertThat(row.get("principal").asString()).isEqualTo("admin");

        JsonNode invalid = ok(400, send("POST", API + "/playground",
                "{\"tenantId\": \"" + tenant + "\", \"prompt\": \"\", \"maxTokens\": 0, \"temperature\": 9}", ADMIN));
        assertThat(invalid.get("errors").findValuesAsString("field")).containsExactlyInAnyOrder("prompt", "maxTokens",
                "temperature");
        assertThat(send("POST", API + "/playground", "{\"tenantId\": \"" + UUID.randomUUID()
                + "\", \"prompt\": \"hi\"}", ADMIN).statusCode()).isEqualTo(404);
        ok(200, send("PUT", API + "/tenants/" + tenant + "/limits", "{\"thinkingAllowed\": false}", ADMIN));
        HttpResponse<String> refused = send("POST", API + "/playground",
                "{\"tenantId\": \"" + tenant + "\", \"prompt\": \"why?\", \"thinking\": true}", ADMIN);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(json.readTree(refused.body()).get("limit").asString()).isEqualTo("THINKING_NOT_ALLOWED");
    }

    @Test
    @Order(9)
    void aStreamingHostEndpointIsChargedToTheKeysTenant() throws Exception {
        String tenant = ok(201, send("POST", API + "/tenants", "{\"name\": \"streamer\"}", ADMIN)).get("id")
            .asString();
        String secret = ok(201, send("POST", API + "/tenants/" + tenant + "/keys", "{\"name\": \"s\"}", ADMIN))
            .get("secret").asString();
        HttpResponse<String> stream = sendWith("POST", "/chat/stream", "hi", Map.of("X-API-Key", secret));
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(String.join("", stream.body().lines().filter((line) -> line.startsWith("data:"))
            .map((line) -> line.substring(5)).toList())).isEqualTo("the answer");
        JsonNode rows = ok(200, send("GET", API + "/audit/requests?tenant=" + tenant, null, ADMIN));
        assertThat(rows.get("items")).hasSize(1);
        // Settled once the stream ended.
        long deadline = System.nanoTime() + 10_000_000_000L;
        String outcome = rows.get("items").get(0).get("outcome").asString();
        while (!outcome.equals("COMPLETED") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            outcome = ok(200, send("GET", API + "/audit/requests?tenant=" + tenant, null, ADMIN)).get("items").get(0)
                .get("outcome").asString();
        }
        assertThat(outcome).isEqualTo("COMPLETED");
    }

    @Test
    @Order(10)
    void retentionIsPersistedAndThePurgeDropsWholeOldMonths() throws Exception {
        JdbcClient jdbc = JdbcClient.create(this.dataSource);
        jdbc.sql("select n4j_ensure_audit_partition(cast('2020-03-15T00:00:00Z' as timestamptz))").query(String.class)
            .single();
        assertThat(ok(200, send("GET", API + "/retention", null, ADMIN)).get("oldestPartition").asString())
            .isEqualTo("2020-03");
        assertThat(ok(200, send("PUT", API + "/retention", "{\"months\": 6}", ADMIN)).get("months").asInt())
            .isEqualTo(6);
        assertThat(jdbc.sql("select audit_retention_months from n4j_admin_settings").query(Integer.class).single())
            .isEqualTo(6);
        JsonNode purged = ok(200, send("POST", API + "/retention/purge", null, ADMIN));
        assertThat(purged.get("droppedPartitions").findValuesAsString("")).isEmpty();
        List<String> dropped = new ArrayList<>();
        purged.get("droppedPartitions").forEach((name) -> dropped.add(name.asString()));
        assertThat(dropped).containsExactly("n4j_request_audit_2020_03");
        assertThat(jdbc.sql("select to_regclass('n4j_request_audit_2020_03') is null").query(Boolean.class).single())
            .isTrue();
        assertThat(ok(200, send("GET", API + "/audit/admin?limit=1", null, ADMIN)).get("items").get(0).get("action")
            .asString()).isEqualTo("retention.purge");
    }

    @Test
    @Order(11)
    void browserSessionsNeedTheCsrfTokenForChanges() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
        // Any response of the admin chain hands out the XSRF-TOKEN cookie.
        HttpResponse<String> first = browser.send(HttpRequest.newBuilder(uri(API + "/me")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        String token = cookie(first, "XSRF-TOKEN");
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(uri("/nemotron/admin/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=s3cret&_csrf=" + token))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(
                (location) -> assertThat(location).endsWith("/nemotron/admin/"));
        HttpResponse<String> me = browser.send(HttpRequest.newBuilder(uri(API + "/me")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(me.statusCode()).isEqualTo(200);
        String sessionToken = cookie(me, "XSRF-TOKEN");
        long before = counts()[0];
        HttpResponse<String> forged = browser.send(HttpRequest.newBuilder(uri(API + "/tenants"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"forged\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(counts()[0]).isEqualTo(before);
        HttpResponse<String> genuine = browser.send(HttpRequest.newBuilder(uri(API + "/tenants"))
            .header("Content-Type", "application/json")
            .header("X-XSRF-TOKEN", sessionToken)
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"genuine\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(genuine.statusCode()).isEqualTo(201);
        // Basic credentials replayed by a browser on a cross-site request do not skip the token.
        HttpResponse<String> crossSite = sendWith("POST", API + "/tenants", "{\"name\": \"cross\"}",
                Map.of("Authorization", ADMIN, "Sec-Fetch-Site", "cross-site"));
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(TestDatabase.count(this.dataSource, "select count(*) from n4j_tenant where name = 'cross'"))
            .isZero();
        HttpResponse<String> logout = browser.send(HttpRequest.newBuilder(uri("/nemotron/admin/logout"))
            .header("X-XSRF-TOKEN", sessionToken)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(), HttpResponse.BodyHandlers.ofString());
        // A script's logout is answered 204; a browser's form post is redirected to the login page.
        assertThat(logout.statusCode()).isIn(204, 302);
        assertThat(browser.send(HttpRequest.newBuilder(uri(API + "/me")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(12)
    void verificationFindsATamperedAdminAuditRow() throws Exception {
        JdbcClient jdbc = JdbcClient.create(this.dataSource);
        // Someone with the rights to drop the append-only trigger edits history.
        jdbc.sql("alter table n4j_admin_audit disable trigger n4j_admin_audit_append_only").update();
        jdbc.sql("update n4j_admin_audit set actor = 'nobody' where seq = 2").update();
        jdbc.sql("alter table n4j_admin_audit enable trigger n4j_admin_audit_append_only").update();
        JsonNode verify = ok(200, send("POST", API + "/audit/verify", null, ADMIN));
        assertThat(verify.get("adminChain").get("intact").asBoolean()).isFalse();
        assertThat(verify.get("adminChain").get("firstBrokenSeq").asLong()).isEqualTo(2);
    }

    private long[] counts() {
        return new long[] { TestDatabase.count(this.dataSource, "select count(*) from n4j_tenant"),
                TestDatabase.count(this.dataSource, "select count(*) from n4j_tenant_limits"),
                TestDatabase.count(this.dataSource, "select count(*) from n4j_admin_audit"),
                TestDatabase.count(this.dataSource, "select audit_retention_months from n4j_admin_settings") };
    }

    private String tenantId(String name) throws Exception {
        for (JsonNode tenant : ok(200, send("GET", API + "/tenants", null, ADMIN))) {
            if (tenant.get("name").asString().equals(name)) {
                return tenant.get("id").asString();
            }
        }
        throw new AssertionError("no tenant " + name);
    }

    private static JsonNode ok(int status, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, String body, String authorization)
            throws Exception {
        return sendWith(method, path, body, (authorization != null) ? Map.of("Authorization", authorization) : Map.of());
    }

    private HttpResponse<String> sendWith(String method, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
            .method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
                    : HttpRequest.BodyPublishers.noBody());
        if (body != null) {
            request.header("Content-Type", path.equals("/chat") ? "text/plain" : "application/json");
        }
        headers.forEach(request::header);
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + this.port + path);
    }

    private static String cookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
            .filter((header) -> header.startsWith(name + "="))
            .map((header) -> header.substring(name.length() + 1, header.indexOf(';')))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + response.headers().map()));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String jwt(String subject, List<String> roles) throws Exception {
        SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().subject(subject)
            .claim("roles", roles)
            .expirationTime(java.util.Date.from(Instant.now().plusSeconds(600)))
            .build());
        token.sign(new RSASSASigner(HostApplication.KEYS.getPrivate()));
        return token.serialize();
    }

}
