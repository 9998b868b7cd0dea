package io.nemotron4j.benchmarks;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.nemotron4j.spring.governance.Admission;
import io.nemotron4j.spring.governance.AdmissionRequest;
import io.nemotron4j.spring.governance.GovernanceSchema;
import io.nemotron4j.spring.governance.GovernanceService;
import io.nemotron4j.spring.governance.Outcome;
import io.nemotron4j.spring.governance.QuotaAlertListener;
import io.nemotron4j.spring.governance.Settlement;
import io.nemotron4j.spring.governance.TenantLimits;
import io.nemotron4j.spring.governance.Tenants;
import io.nemotron4j.spring.governance.Usage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * What governance adds to one model request: {@link GovernanceService#admit} (lock the tenant, check every limit,
 * reserve, write the audit row) followed by {@link GovernanceService#settle} (book usage, complete the audit row,
 * check the 80/100 % alert thresholds), on a real PostgreSQL, in a fresh schema that is dropped afterwards. Run
 * with {@code -bm sample} for p50/p99 per request and {@code -bm thrpt} for admissions per second; {@code -t N}
 * runs N requesting threads.
 *
 * <p>Every tenant has day, week and month token and cost quotas and a concurrency limit, all far above what the
 * run uses, so every check runs and none refuses. {@code tenants=shared}: all threads charge one tenant, whose row
 * lock serialises them (one team's burst); {@code own}: each thread has a tenant of its own (many teams).
 * {@code perMinute=true} adds requests- and tokens-per-minute limits, whose sliding window is summed from the
 * request audit at each admission. {@code content} is what the audit row keeps: nothing, or a 2 KiB transcript.
 *
 * <p>The database is {@code -Dnemotron4j.bench.database} (default {@code jdbc:postgresql://127.0.0.1:5432/test}),
 * user {@code -Dnemotron4j.bench.user} (default {@code postgres}); pass them with {@code -jvmArgsAppend}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(1)
public class GovernanceBenchmark {

    private static final String URL = System.getProperty("nemotron4j.bench.database",
            "jdbc:postgresql://127.0.0.1:5432/test");

    private static final String USER = System.getProperty("nemotron4j.bench.user", "postgres");

    /** Enough tenants for any thread count the 'own' variant is run with. */
    private static final int TENANTS = 64;

    @Param({ "shared", "own" })
    public String tenants;

    @Param({ "false" })
    public boolean perMinute;

    @Param({ "none" })
    public String content;

    private String schema;

    private HikariDataSource dataSource;

    private GovernanceService service;

    private final List<UUID> tenantIds = new ArrayList<>();

    private final AtomicInteger nextTenant = new AtomicInteger();

    private String transcript;

    @Setup(Level.Trial)
    public void createSchema() {
        this.schema = "n4j_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("create schema " + this.schema);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + this.schema);
        config.setUsername(USER);
        config.setMaximumPoolSize(TENANTS + 2);
        this.dataSource = new HikariDataSource(config);
        new GovernanceSchema(this.dataSource, 1).migrate();
        JdbcClient jdbc = JdbcClient.create(this.dataSource);
        this.service = new GovernanceService(jdbc, new DataSourceTransactionManager(this.dataSource),
                Duration.ofMinutes(10), List.of(80, 100), QuotaAlertListener.NONE);
        Tenants store = new Tenants(jdbc);
        BigDecimal plenty = new BigDecimal("1000000000");
        TenantLimits limits = new TenantLimits(1_000_000_000_000L, 1_000_000_000_000L, 1_000_000_000_000L, plenty,
                plenty, plenty, new BigDecimal("0.0005"), new BigDecimal("0.0015"), new BigDecimal("0.0015"),
                this.perMinute ? 1_000_000_000 : null, this.perMinute ? 1_000_000_000_000L : null, 1000, 4096, true,
                null, null);
        for (int i = 0; i < TENANTS; i++) {
            UUID tenant = store.create("bench-" + i, ZoneId.of("Europe/Berlin"));
            store.putLimits(tenant, limits);
            this.tenantIds.add(tenant);
        }
        this.transcript = "none".equals(this.content) ? null
                : "USER: " + "Summarise the quarterly report for the board. ".repeat(21) + "\nASSISTANT: "
                        + "Revenue grew, costs fell, and the outlook is stable. ".repeat(20);
    }

    @TearDown(Level.Trial)
    public void dropSchema() {
        this.dataSource.close();
        execute("drop schema " + this.schema + " cascade");
    }

    /** The tenant one benchmark thread charges. */
    @State(Scope.Thread)
    public static class Caller {

        UUID tenant;

        @Setup(Level.Trial)
        public void pick(GovernanceBenchmark benchmark) {
            this.tenant = "shared".equals(benchmark.tenants) ? benchmark.tenantIds.getFirst()
                    : benchmark.tenantIds.get(benchmark.nextTenant.getAndIncrement() % TENANTS);
        }

    }

    @Benchmark
    public boolean admitAndSettle(Caller caller) {
        Admission admission = this.service.admit(new AdmissionRequest(caller.tenant, null, "bench-user",
                "nemotron-nano-9b-v2", 200, 300, true, 128, 0.6, "127.0.0.1", null));
        return this.service.settle(admission, new Settlement(new Usage(200, 100, 150), Outcome.COMPLETED, "STOP",
                25L, null, this.transcript));
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement()) {
            s.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("GovernanceBenchmark needs PostgreSQL at " + URL + " (user " + USER
                    + "): " + ex.getMessage(), ex);
        }
    }

}
