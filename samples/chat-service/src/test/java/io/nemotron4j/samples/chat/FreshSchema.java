package io.nemotron4j.samples.chat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A new schema on the machine's real PostgreSQL for one test class, dropped after it, so runs never see each other's
 * tenants. The server is required: when it cannot be reached the test fails and says how to start it.
 */
final class FreshSchema implements AutoCloseable {

    private static final String SERVER_URL = System.getenv().getOrDefault("NEMOTRON4J_TEST_DATABASE_URL",
            "jdbc:postgresql://127.0.0.1:5432/test");

    static final String USER = System.getenv().getOrDefault("NEMOTRON4J_TEST_DATABASE_USER", "postgres");

    private final String name = "chat_sample_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    FreshSchema() {
        execute("create schema " + this.name);
    }

    /** A JDBC URL whose connections use this schema. */
    String url() {
        return SERVER_URL + (SERVER_URL.contains("?") ? "&" : "?") + "currentSchema=" + this.name;
    }

    @Override
    public void close() {
        execute("drop schema if exists " + this.name + " cascade");
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER_URL, USER, null); Statement s = c.createStatement()) {
            s.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("The sample's tests need PostgreSQL at " + SERVER_URL + " (user " + USER
                    + "): " + ex.getMessage()
                    + ". Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", ex);
        }
    }

}
