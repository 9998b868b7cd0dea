package io.nemotron4j.spring.autoconfigure;

import org.flywaydb.core.Flyway;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Keeps the host's routes as the host configures them when the governance class path (the governance starter, which
 * brings Spring Security) is present but the admin chain is not: governance or its admin API switched off
 * ({@code nemotron.governance.enabled=false}, {@code nemotron.governance.admin.enabled=false}) or no
 * {@code DataSource}. Spring Boot would otherwise put its default chain (a generated password, a login form) over
 * the whole application, which nobody asked for: the application added Spring Security only as part of our
 * starter, and with governance on, the admin chain makes that default back off too.
 *
 * <p>It registers a {@link SecurityFilterChain} that matches no request, so no security filter runs anywhere. An
 * application with a {@code SecurityFilterChain} of its own keeps it and this backs off.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = NemotronAdminAutoConfiguration.class,
        beforeName = { "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ SecurityFilterChain.class, JdbcClient.class, Flyway.class, DependsOnDatabaseInitialization.class })
@ConditionalOnMissingBean(SecurityFilterChain.class)
public class NemotronHostRoutesAutoConfiguration {

    @Bean
    SecurityFilterChain nemotronHostRoutesUntouched() {
        return new DefaultSecurityFilterChain((request) -> false);
    }

}
