package io.nemotron4j.spring.governance;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A replica is killed mid-generation: a separate JVM streams a governed generation and is killed with SIGKILL while
 * tokens are flowing, so it never settles. After its lease the sweeper releases the reservation and the audit row
 * says ABANDONED.
 */
class CrashedReplicaTests {

    private static final Duration LEASE = Duration.ofSeconds(2);

    private static TestDatabase database;

    private static HikariDataSource dataSource;

    private static JdbcClient jdbc;

    @BeforeAll
    static void migrate() {
        database = TestDatabase.create();
        dataSource = database.dataSource(2);
        jdbc = JdbcClient.create(dataSource);
        new GovernanceSchema(dataSource, 0).migrate();
    }

    @AfterAll
    static void drop() {
        dataSource.close();
        database.close();
    }

    /** The doomed replica: admits one request for the tenant given as argument and generates forever. */
    public static void main(String[] args) throws Exception {
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(args[0]);
            ds.setUsername(TestDatabase.USER);
            ds.setMaximumPoolSize(2);
            GovernanceService service = new GovernanceService(JdbcClient.create(ds),
                    new DataSourceTransactionManager(ds), Duration.parse(args[2]));
            ChatModel endless = new ChatModel() {
                @Override
                public ChatResponse call(Prompt prompt) {
                    throw new UnsupportedOperationException("this replica only streams");
                }

                @Override
                public Flux<ChatResponse> stream(Prompt prompt) {
                    return Flux.interval(Duration.ofMillis(20)).map((i) -> new ChatResponse(
                            List.of(new Generation(AssistantMessage.builder().content("la ").build()))));
                }
            };
            GovernedChatModel governed = new GovernedChatModel(endless, service, "nano", 500, (p) -> 20);
            Caller.tenant(UUID.fromString(args[1])).callAs(() -> governed.stream(new Prompt("Sing")))
                .index()
                .doOnNext((chunk) -> {
                    if (chunk.getT1() == 5) {
                        System.out.println("GENERATING");
                        System.out.flush();
                    }
                })
                .blockLast();
        }
    }

    @Test
    @Timeout(120)
    void aKilledReplicasReservationIsReleasedAfterTheLeaseAndItsRequestAbandoned() throws Exception {
        Tenants tenants = new Tenants(jdbc);
        UUID tenant = tenants.create("crashing-" + UUID.randomUUID(), ZoneId.of("UTC"));
        tenants.putLimits(tenant, TenantLimits.tokensPerDay(600));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process replica = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashedReplicaTests.class.getName(), database.url(), tenant.toString(), LEASE.toString())
            .redirectErrorStream(true)
            .start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(replica.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean generating = false;
            while (!generating && (line = out.readLine()) != null) {
                generating = line.contains("GENERATING");
            }
            assertThat(generating).as("the replica started generating").isTrue();
            assertThat(TestDatabase.count(dataSource, "select count(*) from n4j_reservation")).isEqualTo(1);
            replica.destroyForcibly();
            assertThat(replica.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        finally {
            replica.destroyForcibly();
        }
        GovernanceService survivor = new GovernanceService(jdbc, new DataSourceTransactionManager(dataSource),
                Duration.ofMinutes(5));
        // Before the lease runs out the dead replica's 520 tokens stay held: 100 more do not fit in 600.
        assertThat(survivor.sweepExpiredLeases()).isZero();
        assertThat(catchThrowableOfType(AdmissionRejectedException.class,
                () -> survivor.admit(AdmissionRequest.of(tenant, "nano", 20, 100)))
            .limit()).isEqualTo(Limit.TOKENS_PER_DAY);
        Instant leaseEnd = jdbc.sql("select lease_until from n4j_reservation").query(java.sql.Timestamp.class)
            .single()
            .toInstant();
        while (Instant.now().isBefore(leaseEnd.plusMillis(100))) {
            Thread.sleep(50);
        }
        assertThat(survivor.sweepExpiredLeases()).isEqualTo(1);
        assertThat(TestDatabase.count(dataSource, "select count(*) from n4j_reservation")).isZero();
        Map<String, Object> audit = jdbc.sql("select * from n4j_request_audit where tenant_id = ? and outcome <> 'REJECTED'")
            .param(tenant)
            .query()
            .singleRow();
        assertThat(audit).containsEntry("outcome", "ABANDONED").containsEntry("reserved_tokens", 520L);
        // The capacity is back: a request that needs most of the quota is admitted again.
        Admission again = survivor.admit(AdmissionRequest.of(tenant, "nano", 20, 500));
        assertThat(survivor.settle(again, Settlement.completed(new Usage(20, 0, 10), "STOP"))).isTrue();
    }

}
