package io.nemotron4j.spring.governance;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** API keys against the real PostgreSQL: shown once, stored as a hash, revocable, expiring. */
class ApiKeysTests {

    private static TestDatabase database;

    private static HikariDataSource dataSource;

    private static JdbcClient jdbc;

    private static Tenants tenants;

    private static ApiKeys keys;

    @BeforeAll
    static void migrate() {
        database = TestDatabase.create();
        dataSource = database.dataSource(2);
        jdbc = JdbcClient.create(dataSource);
        new GovernanceSchema(dataSource, 0).migrate();
        tenants = new Tenants(jdbc);
        keys = new ApiKeys(jdbc);
    }

    @AfterAll
    static void drop() {
        dataSource.close();
        database.close();
    }

    @Test
    void anIssuedKeyAuthenticatesItsTenantAndOnlyItsHashIsStored() {
        UUID tenant = tenants.create("keys-" + UUID.randomUUID(), ZoneId.of("UTC"));
        ApiKeys.IssuedKey issued = keys.issue(tenant, "ci", null);
        assertThat(issued.key()).startsWith("n4j_" + issued.prefix() + "_").hasSize(4 + 12 + 1 + 43);
        assertThat(issued.toString()).doesNotContain(issued.key());
        assertThat(keys.authenticate(issued.key())).hasValueSatisfying((caller) -> {
            assertThat(caller.tenantId()).isEqualTo(tenant);
            assertThat(caller.apiKeyId()).isEqualTo(issued.id());
        });
        byte[] stored = jdbc.sql("select hash from n4j_api_key where id = ?").param(issued.id()).query(byte[].class)
            .single();
        assertThat(stored).isEqualTo(ApiKeys.sha256(issued.key()));
        assertThat(jdbc.sql("select count(*) from n4j_api_key where encode(hash, 'escape') like ?")
            .param("%" + issued.key().substring(17) + "%")
            .query(Long.class)
            .single()).isZero();

        // A key with the right prefix but a wrong secret, a malformed key and an unknown prefix all fail.
        assertThat(keys.authenticate(issued.key().substring(0, issued.key().length() - 1) + "x")).isEmpty();
        assertThat(keys.authenticate("Bearer " + issued.key())).isEmpty();
        assertThat(keys.authenticate("n4j_000000000000_abc")).isEmpty();
        assertThat(keys.list(tenant)).singleElement().satisfies((key) -> {
            assertThat(key.name()).isEqualTo("ci");
            assertThat(key.revokedAt()).isNull();
        });
    }

    @Test
    void revokedExpiredAndDisabledTenantKeysStopWorking() {
        UUID tenant = tenants.create("keys-" + UUID.randomUUID(), ZoneId.of("UTC"));
        ApiKeys.IssuedKey revoked = keys.issue(tenant, "old", null);
        assertThat(keys.revoke(revoked.id())).isTrue();
        assertThat(keys.revoke(revoked.id())).isFalse();
        assertThat(keys.authenticate(revoked.key())).isEmpty();

        ApiKeys.IssuedKey expired = keys.issue(tenant, "temp", Instant.now().minus(1, ChronoUnit.SECONDS));
        assertThat(keys.authenticate(expired.key())).isEmpty();
        ApiKeys.IssuedKey future = keys.issue(tenant, "later", Instant.now().plus(1, ChronoUnit.DAYS));
        assertThat(keys.authenticate(future.key())).isPresent();

        tenants.setEnabled(tenant, false);
        assertThat(keys.authenticate(future.key())).isEmpty();
        assertThat(keys.list(tenant)).hasSize(3);
    }

    @Test
    void keysAreOnlyIssuedForExistingTenantsWithSaneNames() {
        assertThatExceptionOfType(UnknownTenantException.class)
            .isThrownBy(() -> keys.issue(UUID.randomUUID(), "x", null));
        UUID tenant = tenants.create("keys-" + UUID.randomUUID(), ZoneId.of("UTC"));
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> keys.issue(tenant, " ", null));
        assertThatExceptionOfType(IllegalArgumentException.class)
            .isThrownBy(() -> keys.issue(tenant, "n".repeat(101), null));
        assertThat(keys.list(tenant)).isEmpty();
    }

}
