package io.nemotron4j.spring.autoconfigure;

import javax.sql.DataSource;

import io.nemotron4j.spring.chat.NemotronChatModel;
import io.nemotron4j.spring.governance.AdminAuditLog;
import io.nemotron4j.spring.governance.ApiKeys;
import io.nemotron4j.spring.governance.AuditRetention;
import io.nemotron4j.spring.governance.GovernanceSchema;
import io.nemotron4j.spring.governance.GovernanceService;
import io.nemotron4j.spring.governance.GovernedChatModel;
import io.nemotron4j.spring.governance.LeaseSweeper;
import io.nemotron4j.spring.governance.RequestAudit;
import io.nemotron4j.spring.governance.Tenants;
import io.nemotron4j.spring.governance.UsageReports;
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
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
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
 * <p>When the application has the Nemotron {@code ChatModel}, a {@link GovernedChatModel} around it is registered
 * as the primary {@code ChatModel} (unless {@code nemotron.governance.primary-chat-model=false}), so that every
 * injection point of {@code ChatModel} (a {@code ChatClient}, say) is governed; the raw model stays injectable as
 * {@code NemotronChatModel}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = NemotronChatAutoConfiguration.class,
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
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

    @Bean
    @ConditionalOnMissingBean
    UsageReports nemotronUsageReports(DataSource dataSource, GovernanceSchema schema) {
        return new UsageReports(JdbcClient.create(dataSource));
    }

    @Bean
    @ConditionalOnMissingBean
    RequestAudit nemotronRequestAudit(DataSource dataSource, GovernanceSchema schema) {
        return new RequestAudit(new JdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource));
    }

    @Bean
    @ConditionalOnMissingBean
    AuditRetention nemotronAuditRetention(DataSource dataSource, GovernanceSchema schema) {
        return new AuditRetention(JdbcClient.create(dataSource), schema);
    }

    static GovernedChatModel governed(NemotronChatModel model, GovernanceService governance,
            NemotronChatProperties chat) {
        int maxTokens = (chat.getMaxTokens() != null) ? chat.getMaxTokens() : DEFAULT_MAX_TOKENS;
        return new GovernedChatModel(model, governance, model.getModelName(), maxTokens,
                GovernedChatModel::estimatePromptTokens);
    }

    /** The engine's default of {@code maxTokens} when {@code nemotron.chat.max-tokens} is not set. */
    static final int DEFAULT_MAX_TOKENS = 2048;

    /** The governed Nemotron model as the primary {@code ChatModel}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(NemotronChatModel.class)
    @ConditionalOnBooleanProperty(name = NemotronGovernanceProperties.PREFIX + ".primary-chat-model",
            matchIfMissing = true)
    static class PrimaryGovernedChatModelConfiguration {

        @Bean
        @Primary
        @ConditionalOnMissingBean
        GovernedChatModel nemotronGovernedChatModel(NemotronChatModel model, GovernanceService governance,
                NemotronChatProperties chat) {
            return governed(model, governance, chat);
        }

    }

    /** The governed Nemotron model beside the raw one, for the playground, when it should not be primary. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(NemotronChatModel.class)
    @ConditionalOnBooleanProperty(name = NemotronGovernanceProperties.PREFIX + ".primary-chat-model",
            havingValue = false)
    static class SecondaryGovernedChatModelConfiguration {

        @Bean
        @ConditionalOnMissingBean
        GovernedChatModel nemotronGovernedChatModel(NemotronChatModel model, GovernanceService governance,
                NemotronChatProperties chat) {
            return governed(model, governance, chat);
        }

    }

}
