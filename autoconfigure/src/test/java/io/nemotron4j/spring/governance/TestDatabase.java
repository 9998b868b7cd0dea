package io.nemotron4j.spring.governance;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A fresh schema on the real PostgreSQL of the test machine, created for one test class and dropped after it, so
 * that test runs (and parallel builds) never see each other's rows. The server is never optional: when it cannot
 * be reached this fails with what to do, it does not skip.
 */
public final class TestDatabase implements AutoCloseable {

    /** The server and database; override with the environment variable NEMOTRON4J_TEST_DATABASE_URL. */
    public static final String SERVER_URL = System.getenv().getOrDefault("NEMOTRON4J_TEST_DATABASE_URL",
            "jdbc:postgresql://127.0.0.1:5432/test");

    /** The user; trust authentication, no password. */
    public static final String USER = System.getenv().getOrDefault("NEMOTRON4J_TEST_DATABASE_USER", "postgres");

    private final String schema;

    private TestDatabase(String schema) {
        this.schema = schema;
    }

    /**
     * Creates a new, empty schema.
     * @return the database handle
     */
    public static TestDatabase create() {
        String schema = "n4j_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("create schema " + schema);
        return new TestDatabase(schema);
    }

    /** @return the schema's name */
    public String schema() {
        return this.schema;
    }

    /** @return a JDBC URL whose connections use the schema as their default */
    public String url() {
        return SERVER_URL + (SERVER_URL.contains("?") ? "&" : "?") + "currentSchema=" + this.schema;
    }

    /**
     * A pooled data source on the schema; close it when done.
     * @param poolSize the pool's size
     * @return the data source
     */
    public HikariDataSource dataSource(int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url());
        config.setUsername(USER);
        config.setMaximumPoolSize(poolSize);
        return new HikariDataSource(config);
    }

    /**
     * Counts rows with a query.
     * @param dataSource where to run it
     * @param sql a query returning one number
     * @return the number
     */
    public static long count(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
        catch (SQLException ex) {
            throw new IllegalStateException(sql, ex);
        }
    }

    @Override
    public void close() {
        execute("drop schema if exists " + this.schema + " cascade");
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER_URL, USER, null);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("The governance tests need the PostgreSQL server at " + SERVER_URL
                    + " (user " + USER + ", trust authentication) and could not use it: " + ex.getMessage()
                    + ". Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
                    ex);
        }
    }

}
