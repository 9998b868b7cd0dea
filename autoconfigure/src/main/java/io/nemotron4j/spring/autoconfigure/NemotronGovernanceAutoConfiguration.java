package io.nemotron4j.spring.autoconfigure;

import javax.sql.DataSource;

import io.nemotron4j.spring.governance.AdminAuditLog;
import io.nemotron4j.spring.governance.ApiKeys;
import io.nemotron4j.spring.governance.GovernanceSchema;
import io.nemotron4j.spring.governance.GovernanceService;
import io.nemotron4j.spring.governance.LeaseSweeper;
import io.nemotron4j.spring.governance.Tenants;
import org.flywaydb.core.Flyway;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Governance of model use (tenants, quotas, reservations, audit) in PostgreSQL. Opt-in: active only when JDBC and
 * Flyway are on the class path (as {@code nemotron4j-governance-spring-boot-starter} brings them) and the
 * application has a {@link DataSource}; {@code nemotron.governance.enabled=false} switches it off. An application
 * with only the main starter has neither, so it is never asked to configure a database.
 *
 * <p>The governance tables are migrated at start-up by {@link GovernanceSchema}, independent of the host's own
 * Flyway and after it (and any other database initialiser the host has): the host's Flyway refuses a non-empty
 * schema without its history table, so governance tables created first would stop the host from starting.
 * Transactions use a {@link DataSourceTransactionManager} of their own on the same {@code DataSource}, so
 * governance does not depend on which transaction manager (JDBC or JPA) the host declares.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({ JdbcClient.class, Flyway.class, DependsOnDatabaseInitialization.class })
@ConditionalOnBean(DataSource.class)
@ConditionalOnBooleanProperty(name = NemotronGovernanceProperties.PREFIX + ".enabled", matchIfMissing = true)
@EnableConfigurationProperties(NemotronGovernanceProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public class NemotronGovernanceAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    GovernanceSchema nemotronGovernanceSchema(DataSource dataSource, NemotronGovernanceProperties properties) {
        GovernanceSchema schema = new GovernanceSchema(dataSource, properties.getAuditPartitionsAhead());
        // Migrated while the context starts, so that the first request finds the tables.
        schema.migrate();
        return schema;
    }

    @Bean
    @ConditionalOnMissingBean
    GovernanceService nemotronGovernanceService(DataSource dataSource, GovernanceSchema schema,
            NemotronGovernanceProperties properties) {
        return new GovernanceService(JdbcClient.create(dataSource), new DataSourceTransactionManager(dataSource),
                properties.getLease());
    }

    @Bean
    @ConditionalOnMissingBean
    Tenants nemotronTenants(DataSource dataSource, GovernanceSchema schema) {
        return new Tenants(JdbcClient.create(dataSource));
    }

    @Bean
    @ConditionalOnMissingBean
    ApiKeys nemotronApiKeys(DataSource dataSource, GovernanceSchema schema) {
        return new ApiKeys(JdbcClient.create(dataSource));
    }

    @Bean
    @ConditionalOnMissingBean
    AdminAuditLog nemotronAdminAuditLog(DataSource dataSource, GovernanceSchema schema) {
        return new AdminAuditLog(JdbcClient.create(dataSource), new DataSourceTransactionManager(dataSource));
    }

    @Bean
    @ConditionalOnMissingBean
    LeaseSweeper nemotronLeaseSweeper(GovernanceService service, GovernanceSchema schema,
            NemotronGovernanceProperties properties) {
        return new LeaseSweeper(service, schema, properties.getSweepInterval());
    }

}
