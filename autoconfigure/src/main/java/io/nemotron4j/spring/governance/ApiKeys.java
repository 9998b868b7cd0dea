package io.nemotron4j.spring.governance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * API keys of tenants. A key is shown once, when it is issued; only its SHA-256 hash is stored. A plain (unsalted,
 * fast) hash is enough because keys are 256 random bits, not passwords: there is nothing to guess or look up in a
 * table. The key's public prefix finds its row without a scan; the hash comparison is constant-time.
 *
 * <p>Key format: {@code n4j_<prefix>_<secret>}, prefix 12 hex characters, secret 43 base64url characters.
 *
 * @since 0.1.0
 */
public class ApiKeys {

    private static final String SCHEME = "n4j_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;

    /**
     * Creates the store.
     * @param jdbc a client on the governance database
     */
    public ApiKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A newly issued key; the only time its secret is available.
     * @param id the key's id
     * @param tenantId its tenant
     * @param key the full key, to hand to the client once
     * @param prefix its public prefix
     * @param expiresAt when it stops working, or {@code null} for never
     */
    public record IssuedKey(UUID id, UUID tenantId, String key, String prefix, @Nullable Instant expiresAt) {

        @Override
        public String toString() {
            // Never print the secret by accident (logs, exception messages).
            return "IssuedKey[id=" + this.id + ", tenantId=" + this.tenantId + ", prefix=" + this.prefix + "]";
        }

    }

    /**
     * A stored key, without its secret.
     * @param id the key's id
     * @param tenantId its tenant
     * @param name its name
     * @param prefix its public prefix
     * @param createdAt when it was issued
     * @param expiresAt when it stops working, or {@code null}
     * @param revokedAt when it was revoked, or {@code null}
     * @param lastUsedAt when it last authenticated a request (to the minute), or {@code null}
     */
    public record ApiKey(UUID id, UUID tenantId, String name, String prefix, Instant createdAt,
            @Nullable Instant expiresAt, @Nullable Instant revokedAt, @Nullable Instant lastUsedAt) {
    }

    /**
     * Issues a key.
     * @param tenantId the tenant
     * @param name a name to recognise it by (1 to 100 characters)
     * @param expiresAt when it stops working, or {@code null} for never
     * @return the key, including its secret
     * @throws UnknownTenantException if there is no such tenant
     */
    public IssuedKey issue(UUID tenantId, String name, @Nullable Instant expiresAt) {
        if (name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("key name must have 1 to 100 characters, had " + name.length());
        }
        if (this.jdbc.sql("select count(*) from n4j_tenant where id = ?").param(tenantId).query(Long.class)
            .single() == 0) {
            throw new UnknownTenantException(tenantId);
        }
        byte[] prefixBytes = new byte[6];
        byte[] secretBytes = new byte[32];
        RANDOM.nextBytes(prefixBytes);
        RANDOM.nextBytes(secretBytes);
        String prefix = HexFormat.of().formatHex(prefixBytes);
        String key = SCHEME + prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        UUID id = UUID.randomUUID();
        this.jdbc
            .sql("insert into n4j_api_key (id, tenant_id, name, prefix, hash, expires_at) values (?, ?, ?, ?, ?, ?)")
            .params(id, tenantId, name, prefix, sha256(key), (expiresAt != null) ? Timestamp.from(expiresAt) : null)
            .update();
        return new IssuedKey(id, tenantId, key, prefix, expiresAt);
    }

    /**
     * Finds the caller a key belongs to, if the key is valid: known, hash matching, not revoked, not expired, and its
     * tenant enabled.
     * @param key the key as the client sent it
     * @return the caller (tenant and key id), or empty for any invalid key; the reason is deliberately not told
     * (a valid key's use is recorded in {@code last_used_at}, at most once a minute)
     */
    public Optional<Caller> authenticate(String key) {
        if (!key.startsWith(SCHEME) || key.length() > 200) {
            return Optional.empty();
        }
        int end = key.indexOf('_', SCHEME.length());
        if (end < 0) {
            return Optional.empty();
        }
        String prefix = key.substring(SCHEME.length(), end);
        byte[] hash = sha256(key);
        Optional<Stored> match = this.jdbc.sql("""
                select k.id, k.tenant_id, k.hash from n4j_api_key k join n4j_tenant t on t.id = k.tenant_id
                where k.prefix = ? and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
                    and t.enabled
                """)
            .param(prefix)
            .query((rs, row) -> new Stored(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                    rs.getBytes("hash")))
            .list()
            .stream()
            .filter((stored) -> MessageDigest.isEqual(hash, stored.hash()))
            .findFirst();
        match.ifPresent(this::touch);
        return match.map((stored) -> new Caller(stored.tenantId(), stored.id(), null, null, null));
    }

    /** Records the key's use, at most once a minute so that busy keys do not write on every request. */
    private void touch(Stored stored) {
        this.jdbc.sql("""
                update n4j_api_key set last_used_at = now()
                where id = ? and (last_used_at is null or last_used_at < now() - interval '1 minute')
                """).param(stored.id()).update();
    }

    /**
     * Revokes a key; it stops working at once.
     * @param keyId the key
     * @return whether it was active until now
     */
    public boolean revoke(UUID keyId) {
        return this.jdbc.sql("update n4j_api_key set revoked_at = now() where id = ? and revoked_at is null")
            .param(keyId)
            .update() == 1;
    }

    /**
     * A tenant's keys, newest first, without secrets.
     * @param tenantId the tenant
     * @return its keys
     */
    public List<ApiKey> list(UUID tenantId) {
        return this.jdbc.sql("""
                select id, tenant_id, name, prefix, created_at, expires_at, revoked_at, last_used_at
                from n4j_api_key where tenant_id = ? order by created_at desc, id
                """)
            .param(tenantId)
            .query(ApiKeys::readKey)
            .list();
    }

    /**
     * A key, without its secret.
     * @param keyId the key
     * @return the key, or empty when there is none with that id
     */
    public Optional<ApiKey> find(UUID keyId) {
        return this.jdbc.sql("""
                select id, tenant_id, name, prefix, created_at, expires_at, revoked_at, last_used_at
                from n4j_api_key where id = ?
                """).param(keyId).query(ApiKeys::readKey).optional();
    }

    private static ApiKey readKey(ResultSet rs, int row) throws SQLException {
        return new ApiKey(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                rs.getString("name"), rs.getString("prefix"), rs.getTimestamp("created_at").toInstant(),
                instant(rs.getTimestamp("expires_at")), instant(rs.getTimestamp("revoked_at")),
                instant(rs.getTimestamp("last_used_at")));
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return (timestamp != null) ? timestamp.toInstant() : null;
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every JDK has SHA-256", ex);
        }
    }

    private record Stored(UUID id, UUID tenantId, byte[] hash) {
    }

}
