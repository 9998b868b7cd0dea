package io.nemotron4j.spring.admin.ui;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A schema of its own on the real PostgreSQL of the test machine for one test class, so that parallel builds never
 * see each other's rows. Never optional: without the server the tests fail and say how to start it.
 */
final class TestSchema {

    /** The server and database; override with the environment variable NEMOTRON4J_TEST_DATABASE_URL. */
    static final String SERVER_URL = System.getenv().getOrDefault("NEMOTRON4J_TEST_DATABASE_URL",
            "jdbc:postgresql://127.0.0.1:5432/test");

    /** The user (trust authentication); override with NEMOTRON4J_TEST_DATABASE_USER. */
    static final String USER = System.getenv().getOrDefault("NEMOTRON4J_TEST_DATABASE_USER", "postgres");

    private final String name = "n4j_ui_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    /** Creates the schema. */
    TestSchema() {
        execute("create schema " + this.name);
    }

    /** A JDBC URL whose connections use the schema as their default. */
    String url() {
        return SERVER_URL + (SERVER_URL.contains("?") ? "&" : "?") + "currentSchema=" + this.name;
    }

    /** Drops the schema and everything in it. */
    void drop() {
        execute("drop schema if exists " + this.name + " cascade");
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER_URL, USER, null); Statement s = c.createStatement()) {
            s.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("The dashboard tests need the PostgreSQL server at " + SERVER_URL
                    + " (user " + USER + ", trust authentication): " + ex.getMessage()
                    + ". Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", ex);
        }
    }

}
