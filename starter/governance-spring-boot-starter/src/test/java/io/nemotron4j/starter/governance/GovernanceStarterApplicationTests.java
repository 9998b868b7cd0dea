package io.nemotron4j.starter.governance;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.UUID;

import javax.sql.DataSource;

import io.nemotron4j.spring.governance.Admission;
import io.nemotron4j.spring.governance.AdmissionRequest;
import io.nemotron4j.spring.governance.GovernanceService;
import io.nemotron4j.spring.governance.Settlement;
import io.nemotron4j.spring.governance.TenantLimits;
import io.nemotron4j.spring.governance.Tenants;
import io.nemotron4j.spring.governance.Usage;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fresh application with the governance starter and nothing but a database URL: JPA, Flyway and the governance
 * beans are all there, the governance tables are migrated, and a request can be admitted and settled. Runs against
 * the real PostgreSQL at 127.0.0.1:5432 in a schema of its own, created here and dropped afterwards.
 */
@SpringBootTest
class GovernanceStarterApplicationTests {

    private static final String SERVER = System.getenv().getOrDefault("NEMOTRON4J_TEST_DATABASE_URL",
            "jdbc:postgresql://127.0.0.1:5432/test");

    private static final String SCHEMA = "n4j_starter_"
            + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @SpringBootApplication
    static class GovernedApplication {

    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        execute("create schema " + SCHEMA);
        registry.add("spring.datasource.url", () -> SERVER + "?currentSchema=" + SCHEMA);
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @AfterAll
    static void dropSchema() {
        execute("drop schema if exists " + SCHEMA + " cascade");
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER, "postgres", null); Statement s = c.createStatement()) {
            s.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("This test needs the PostgreSQL server at " + SERVER
                    + " (user postgres, trust authentication): " + ex.getMessage()
                    + ". Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", ex);
        }
    }

    @Autowired
    private DataSource dataSource;

    @Autowired
    private EntityManagerFactory entityManagerFactory;

    @Autowired
    private GovernanceService governance;

    @Autowired
    private Tenants tenants;

    @Test
    void theGovernanceStarterSwitchesOnJpaFlywayAndGovernance() {
        assertThat(this.entityManagerFactory.isOpen()).isTrue();
        JdbcClient jdbc = JdbcClient.create(this.dataSource);
        assertThat(jdbc.sql("select current_schema()").query(String.class).single()).isEqualTo(SCHEMA);
        // Version 1 applied under the governance history table (a baseline row precedes it when the host's Flyway
        // created its own history table first).
        assertThat(jdbc.sql("select count(*) from nemotron4j_schema_history where success and version = '1'")
            .query(Long.class)
            .single()).isEqualTo(1);

        UUID tenant = this.tenants.create("starter-team", ZoneId.of("UTC"));
        this.tenants.putLimits(tenant, TenantLimits.tokensPerDay(1_000));
        Admission admission = this.governance.admit(AdmissionRequest.of(tenant, "nano", 10, 20));
        assertThat(this.governance.settle(admission, Settlement.completed(new Usage(10, 5, 5), "STOP"))).isTrue();
        assertThat(jdbc.sql("select outcome from n4j_request_audit where id = ?")
            .param(admission.requestId())
            .query(String.class)
            .single()).isEqualTo("COMPLETED");
    }

}
