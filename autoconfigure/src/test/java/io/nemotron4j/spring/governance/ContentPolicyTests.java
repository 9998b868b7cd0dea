package io.nemotron4j.spring.governance;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import io.nemotron4j.spring.chat.NemotronChatOptions;
import io.nemotron4j.spring.governance.GovernedChatModelTests.ScriptedModel;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each tenant content policy, through the governed decorator's call and stream, against the real PostgreSQL: the
 * audit row's {@code content} is empty, the transcript's SHA-256, the redacted transcript or the transcript.
 */
class ContentPolicyTests {

    private static final String TRANSCRIPT = "SYSTEM: You answer support mail.\n"
            + "USER: I am bob@example.com, call me on +44 20 7946 0958\nASSISTANT: hello";

    private static TestDatabase database;

    private static HikariDataSource dataSource;

    private static JdbcClient jdbc;

    private static GovernanceService service;

    private static Tenants tenants;

    @BeforeAll
    static void migrate() {
        database = TestDatabase.create();
        dataSource = database.dataSource(4);
        jdbc = JdbcClient.create(dataSource);
        new GovernanceSchema(dataSource, 0).migrate();
        service = new GovernanceService(jdbc, new DataSourceTransactionManager(dataSource), Duration.ofMinutes(5));
        tenants = new Tenants(jdbc);
    }

    @AfterAll
    static void drop() {
        dataSource.close();
        database.close();
    }

    private static UUID tenant(ContentPolicy policy) {
        UUID id = tenants.create("content-" + UUID.randomUUID(), ZoneId.of("UTC"));
        tenants.setContentPolicy(id, policy);
        return id;
    }

    private static Prompt prompt() {
        return new Prompt(List.of(new SystemMessage("You answer support mail."),
                new UserMessage("I am bob@example.com, call me on +44 20 7946 0958")),
                NemotronChatOptions.builder().maxTokens(64).build());
    }

    private static @Nullable String content(UUID tenant) {
        return (String) jdbc.sql("select content from n4j_request_audit where tenant_id = ? and outcome = 'COMPLETED'")
            .param(tenant)
            .query()
            .singleRow()
            .get("content");
    }

    /** Runs one governed request as the tenant, by call or by stream, and returns the audit row's content. */
    private static @Nullable String governedContent(ContentPolicy policy, boolean stream) {
        UUID tenant = tenant(policy);
        GovernedChatModel governed = new GovernedChatModel(new ScriptedModel(), service, "nano", 256,
                GovernedChatModel::estimatePromptTokens);
        if (stream) {
            Flux<ChatResponse> flux = Caller.tenant(tenant).callAs(() -> governed.stream(prompt()));
            assertThat(flux.collectList().block()).hasSize(3);
        }
        else {
            assertThat(Caller.tenant(tenant).callAs(() -> governed.call(prompt())).getResult().getOutput().getText())
                .isEqualTo("hello");
        }
        return content(tenant);
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = { false, true })
    void noneKeepsNothing(boolean stream) {
        assertThat(governedContent(ContentPolicy.NONE, stream)).isNull();
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = { false, true })
    void sha256KeepsTheHashOfTheTranscript(boolean stream) throws Exception {
        assertThat(governedContent(ContentPolicy.SHA256, stream)).isEqualTo(ContentRecorderTests.sha256(TRANSCRIPT));
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = { false, true })
    void redactedKeepsTheTranscriptWithoutPersonalData(boolean stream) {
        assertThat(governedContent(ContentPolicy.REDACTED, stream)).isEqualTo("SYSTEM: You answer support mail.\n"
                + "USER: I am [EMAIL], call me on [PHONE]\nASSISTANT: hello");
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = { false, true })
    void fullKeepsTheTranscript(boolean stream) {
        assertThat(governedContent(ContentPolicy.FULL, stream)).isEqualTo(TRANSCRIPT);
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = { false, true })
    void thePolicyOfTheAdmissionAppliesAndAFailedCallKeepsItsPrompt(boolean stream) {
        UUID tenant = tenant(ContentPolicy.FULL);
        ScriptedModel failing = new ScriptedModel() {
            @Override
            public ChatResponse call(Prompt prompt) {
                // The policy changes while the request runs: the one it was admitted under still applies.
                tenants.setContentPolicy(tenant, ContentPolicy.NONE);
                throw new IllegalStateException("engine failed");
            }

            @Override
            public Flux<ChatResponse> stream(Prompt prompt) {
                return Flux.defer(() -> {
                    tenants.setContentPolicy(tenant, ContentPolicy.NONE);
                    return Flux.error(new IllegalStateException("engine failed"));
                });
            }
        };
        GovernedChatModel governed = new GovernedChatModel(failing, service, "nano", 256,
                GovernedChatModel::estimatePromptTokens);
        try {
            if (stream) {
                Caller.tenant(tenant).callAs(() -> governed.stream(prompt())).collectList().block();
            }
            else {
                Caller.tenant(tenant).callAs(() -> governed.call(prompt()));
            }
        }
        catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("engine failed");
        }
        assertThat(jdbc.sql("select content from n4j_request_audit where tenant_id = ? and outcome = 'FAILED'")
            .param(tenant)
            .query(String.class)
            .single()).isEqualTo("SYSTEM: You answer support mail.\n"
                    + "USER: I am bob@example.com, call me on +44 20 7946 0958\n");
    }

}
