package io.nemotron4j.spring.governance;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.zaxxer.hikari.HikariDataSource;
import io.nemotron4j.spring.chat.NemotronChatMetadata;
import io.nemotron4j.spring.chat.NemotronChatOptions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/** The governed decorator around a scripted ChatModel, against the real PostgreSQL. */
class GovernedChatModelTests {

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

    /** Answers every prompt with fixed usage, and records the options it was called with. */
    static class ScriptedModel implements ChatModel {

        final List<@Nullable ChatOptions> seen = new CopyOnWriteArrayList<>();

        @Nullable RuntimeException failure;

        boolean reportUsage = true;

        @Override
        public ChatResponse call(Prompt prompt) {
            this.seen.add(prompt.getOptions());
            if (this.failure != null) {
                throw this.failure;
            }
            return response("hello", this.reportUsage ? 12 : 0, this.reportUsage ? 30 : 0, 10);
        }

        @Override
        public Flux<ChatResponse> stream(Prompt prompt) {
            this.seen.add(prompt.getOptions());
            return Flux.just(response("he", 0, 0, 0), response("llo", 0, 0, 0), response("", 12, 30, 10));
        }

        @Override
        public ChatOptions getOptions() {
            return NemotronChatOptions.builder().maxTokens(4096).build();
        }

        static ChatResponse response(String text, int prompt, int completion, int reasoning) {
            ChatResponseMetadata.Builder metadata = ChatResponseMetadata.builder();
            if (prompt + completion > 0) {
                metadata.usage(new DefaultUsage(prompt, completion))
                    .keyValue(NemotronChatMetadata.REASONING_TOKENS, reasoning);
            }
            Generation generation = new Generation(AssistantMessage.builder().content(text).build(),
                    ChatGenerationMetadata.builder().finishReason((prompt > 0) ? "STOP" : null).build());
            return ChatResponse.builder().generations(List.of(generation)).metadata(metadata.build()).build();
        }

    }

    private static UUID tenant(TenantLimits limits) {
        UUID id = tenants.create("g-" + UUID.randomUUID(), ZoneId.of("UTC"));
        tenants.putLimits(id, limits);
        return id;
    }

    private static Map<String, Object> lastAudit(UUID tenant) {
        return jdbc.sql("select * from n4j_request_audit where tenant_id = ? order by started_at desc limit 1")
            .param(tenant)
            .query()
            .singleRow();
    }

    private static long reservations() {
        return jdbc.sql("select count(*) from n4j_reservation").query(Long.class).single();
    }

    private static Prompt prompt(int maxTokens) {
        return new Prompt("How are you?", NemotronChatOptions.builder().maxTokens(maxTokens).build());
    }

    @Test
    void callIsAdmittedCappedAndSettledWithReportedUsage() {
        UUID tenant = tenant(TenantLimits.NONE.withTokensPerDay(10_000L));
        ScriptedModel model = new ScriptedModel();
        GovernedChatModel governed = new GovernedChatModel(model, service, "nano", 256,
                GovernedChatModel::estimatePromptTokens);
        ChatResponse response = Caller.tenant(tenant).callAs(() -> governed.call(prompt(300)));
        assertThat(response.getResult().getOutput().getText()).isEqualTo("hello");
        assertThat(model.seen.getFirst()).isInstanceOf(NemotronChatOptions.class);
        assertThat(model.seen.getFirst().getMaxTokens()).isEqualTo(300);
        Map<String, Object> audit = lastAudit(tenant);
        assertThat(audit).containsEntry("outcome", "COMPLETED").containsEntry("model", "nano")
            .containsEntry("input_tokens", 12L).containsEntry("reasoning_tokens", 10L)
            .containsEntry("output_tokens", 20L).containsEntry("finish_reason", "STOP")
            .containsEntry("max_tokens", 300);
        assertThat(reservations()).isZero();
    }

    @Test
    void requestsWithoutMaxTokensReserveTheDefaultAndTheThinkingBudgetIsCappedByPolicy() {
        UUID tenant = tenant(new TenantLimits(null, null, null, null, null, null, java.math.BigDecimal.ZERO,
                java.math.BigDecimal.ZERO, java.math.BigDecimal.ZERO, null, null, null, null, true, 64, 128));
        ScriptedModel model = new ScriptedModel();
        GovernedChatModel governed = new GovernedChatModel(model, service, "nano", 256,
                GovernedChatModel::estimatePromptTokens);
        Caller.tenant(tenant).callAs(() -> governed.call(new Prompt("Hi", NemotronChatOptions.builder()
            .thinking(true)
            .build())));
        NemotronChatOptions sent = (NemotronChatOptions) model.seen.getFirst();
        assertThat(sent.getMaxTokens()).isEqualTo(256);
        assertThat(sent.getThinkingBudget()).isEqualTo(64);
        assertThat(lastAudit(tenant)).containsEntry("reserved_tokens", 258L).containsEntry("thinking", true);
    }

    @Test
    void overQuotaIsRefusedBeforeTheModelRuns() {
        UUID tenant = tenant(TenantLimits.tokensPerDay(100));
        ScriptedModel model = new ScriptedModel();
        GovernedChatModel governed = new GovernedChatModel(model, service, "nano", 256,
                GovernedChatModel::estimatePromptTokens);
        AdmissionRejectedException rejected = assertThatExceptionOfType(AdmissionRejectedException.class)
            .isThrownBy(() -> Caller.tenant(tenant).callAs(() -> governed.call(prompt(200))))
            .actual();
        assertThat(rejected.limit()).isEqualTo(Limit.TOKENS_PER_DAY);
        assertThat(model.seen).isEmpty();
        assertThat(lastAudit(tenant)).containsEntry("outcome", "REJECTED");
    }

    @Test
    void withoutACallerNothingRunsAndNothingIsWritten() {
        ScriptedModel model = new ScriptedModel();
        GovernedChatModel governed = new GovernedChatModel(model, service, "nano", 256,
                GovernedChatModel::estimatePromptTokens);
        long before = TestDatabase.count(dataSource, "select count(*) from n4j_request_audit");
        assertThatExceptionOfType(CallerRequiredException.class).isThrownBy(() -> governed.call(prompt(10)))
            .withMessageContaining("Caller.callAs");
        // A stream looks in its subscriber's Reactor context before it gives up, so it fails on subscription.
        Flux<ChatResponse> unbound = governed.stream(prompt(10));
        assertThatExceptionOfType(CallerRequiredException.class).isThrownBy(unbound::blockLast);
        assertThat(model.seen).isEmpty();
        assertThat(TestDatabase.count(dataSource, "select count(*) from n4j_request_audit")).isEqualTo(before);
    }

    @Test
    void aFailedCallIsAuditedAsFailedAndReleasesItsReservation() {
        UUID tenant = tenant(TenantLimits.tokensPerDay(10_000));
        ScriptedModel model = new ScriptedModel();
        model.failure = new IllegalStateException("engine exploded");
        GovernedChatModel governed = new GovernedChatModel(model, service, "nano", 256,
                GovernedChatModel::estimatePromptTokens);
        assertThatIllegalStateException()
            .isThrownBy(() -> Caller.tenant(tenant).callAs(() -> governed.call(prompt(100))))
            .withMessage("engine exploded");
        Map<String, Object> audit = lastAudit(tenant);
        assertThat(audit).containsEntry("outcome", "FAILED").containsEntry("output_tokens", 0L);
        assertThat((String) audit.get("detail")).contains("engine exploded");
        assertThat(reservations()).isZero();
    }

    @Test
    void aModelThatReportsNoUsageIsBookedAtItsWorstCase() {
        UUID tenant = tenant(TenantLimits.tokensPerDay(10_000));
        ScriptedModel model = new ScriptedModel();
        model.reportUsage = false;
        GovernedChatModel governed = new GovernedChatModel(model, service, "nano", 256, (p) -> 7);
        Caller.tenant(tenant).callAs(() -> governed.call(prompt(100)));
        assertThat(lastAudit(tenant)).containsEntry("input_tokens", 7L).containsEntry("output_tokens", 100L);
    }

    @Test
    void streamsSettleWithTheLastReportedUsageOrAsCancelled() {
        UUID tenant = tenant(TenantLimits.tokensPerDay(10_000));
        ScriptedModel model = new ScriptedModel();
        GovernedChatModel governed = new GovernedChatModel(model, service, "nano", 256,
                GovernedChatModel::estimatePromptTokens);
        Flux<ChatResponse> flux = Caller.tenant(tenant).callAs(() -> governed.stream(prompt(50)));
        // Nothing is admitted until someone subscribes.
        assertThat(TestDatabase.count(dataSource,
                "select count(*) from n4j_request_audit where tenant_id = '" + tenant + "'")).isZero();
        List<ChatResponse> chunks = flux.collectList().block();
        assertThat(chunks).hasSize(3);
        Map<String, Object> completed = lastAudit(tenant);
        assertThat(completed).containsEntry("outcome", "COMPLETED").containsEntry("input_tokens", 12L)
            .containsEntry("reasoning_tokens", 10L).containsEntry("output_tokens", 20L);
        assertThat(completed.get("first_token_ms")).isNotNull();
        assertThat(model.seen.getFirst().getMaxTokens()).isEqualTo(50);

        Flux<ChatResponse> cancelled = Caller.tenant(tenant).callAs(() -> governed.stream(prompt(40)));
        assertThat(cancelled.take(1).collectList().block()).hasSize(1);
        Map<String, Object> audit = lastAudit(tenant);
        assertThat(audit).containsEntry("outcome", "CANCELLED").containsEntry("output_tokens", 40L);
        assertThat(reservations()).isZero();
    }

    @Test
    void aStreamStartedOffTheCallersThreadIsChargedToTheCallerInItsReactorContext() {
        UUID tenant = tenant(TenantLimits.tokensPerDay(10_000));
        ScriptedModel model = new ScriptedModel();
        GovernedChatModel governed = new GovernedChatModel(model, service, "nano", 256,
                GovernedChatModel::estimatePromptTokens);
        // As ChatClient's tool-calling advisor does: the follow-up call is made on a Reactor worker, while the
        // caller was captured into the context by whoever subscribed (Spring MVC, through CallerContextAccessor).
        Flux<ChatResponse> followUp = Flux.defer(() -> governed.stream(prompt(30)))
            .subscribeOn(Schedulers.boundedElastic())
            .contextWrite(Context.of(Caller.CONTEXT_KEY, Caller.tenant(tenant)));
        assertThat(followUp.collectList().block()).hasSize(3);
        // Settled on the worker once the stream has ended, which can be just after the subscriber saw the end.
        await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(lastAudit(tenant)).containsEntry("outcome", "COMPLETED"));
        assertThat(Caller.tenant(tenant).callAs(new CallerContextAccessor()::getValue)).isEqualTo(Caller.tenant(tenant));
        assertThat(new CallerContextAccessor().getValue()).isNull();
    }

    @Test
    void aLongCallKeepsItsLeaseAliveWhileItRuns() {
        UUID tenant = tenant(TenantLimits.tokensPerDay(10_000));
        GovernanceService shortLease = new GovernanceService(jdbc, new DataSourceTransactionManager(dataSource),
                Duration.ofMillis(300));
        int[] sweptDuringCall = { -1 };
        ChatModel slow = new ScriptedModel() {
            @Override
            public ChatResponse call(Prompt prompt) {
                try {
                    Thread.sleep(1_000);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                // Three leases have passed: without renewal this would release the reservation.
                sweptDuringCall[0] = shortLease.sweepExpiredLeases();
                return super.call(prompt);
            }
        };
        GovernedChatModel governed = new GovernedChatModel(slow, shortLease, "nano", 256,
                GovernedChatModel::estimatePromptTokens);
        Caller.tenant(tenant).callAs(() -> governed.call(prompt(100)));
        assertThat(sweptDuringCall[0]).isZero();
        assertThat(lastAudit(tenant)).containsEntry("outcome", "COMPLETED");
        assertThat(reservations()).isZero();
    }

}
