package io.nemotron4j.spring.autoconfigure;

import java.util.List;

import io.nemotron4j.spring.admin.AdminChanges;
import io.nemotron4j.spring.admin.AdminExceptionHandler;
import io.nemotron4j.spring.admin.AdminJwt;
import io.nemotron4j.spring.admin.AdminSecurity;
import io.nemotron4j.spring.admin.AdmissionRejectedAdvice;
import io.nemotron4j.spring.admin.AuditController;
import io.nemotron4j.spring.admin.CallerFilter;
import io.nemotron4j.spring.admin.JsonMappers;
import io.nemotron4j.spring.admin.MeController;
import io.nemotron4j.spring.admin.PlaygroundController;
import io.nemotron4j.spring.admin.ProblemResponses;
import io.nemotron4j.spring.admin.RetentionController;
import io.nemotron4j.spring.admin.StrictBodyResolver;
import io.nemotron4j.spring.admin.TenantController;
import io.nemotron4j.spring.admin.UsageController;
import io.nemotron4j.spring.governance.AdminAuditLog;
import io.nemotron4j.spring.governance.ApiKeys;
import io.nemotron4j.spring.governance.AuditRetention;
import io.nemotron4j.spring.governance.GovernanceService;
import io.nemotron4j.spring.governance.Tenants;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web side of governance in servlet applications with Spring MVC and Spring Security (the governance starter
 * brings Security): the {@link CallerFilter} that charges the host's chat requests to the tenant of their API key or
 * principal, 429 problems for refused requests, and (unless {@code nemotron.governance.admin.enabled=false}) the
 * admin REST API under {@code nemotron.governance.admin.base-path} with its own {@link SecurityFilterChain}.
 *
 * <p>Ordered before Spring Boot's servlet security auto-configuration: the admin chain matches only the admin
 * routes, and its presence makes Boot's default chain (a login over the whole application) back off, so the
 * governance starter never locks the host's own routes. An application that wants its routes secured declares a
 * {@code SecurityFilterChain} of its own, which then governs everything outside the admin routes.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = NemotronGovernanceAutoConfiguration.class,
        afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
                "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration" },
        beforeName = { "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ DispatcherServlet.class, SecurityFilterChain.class, SecurityFilterProperties.class })
@ConditionalOnBean(GovernanceService.class)
@EnableConfigurationProperties(NemotronAdminProperties.class)
public class NemotronAdminAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ProblemResponses nemotronProblemResponses(ObjectProvider<JsonMapper> json) {
        return new ProblemResponses(JsonMappers.of(json));
    }

    @Bean
    @ConditionalOnMissingBean(name = "nemotronCallerFilter")
    FilterRegistrationBean<CallerFilter> nemotronCallerFilter(ApiKeys keys, Tenants tenants,
            NemotronGovernanceProperties governance, NemotronAdminProperties admin, ProblemResponses problems) {
        FilterRegistrationBean<CallerFilter> registration = new FilterRegistrationBean<>(new CallerFilter(keys,
                tenants, governance.getApiKeyHeader(), admin.getBasePath(), problems));
        // Right after Spring Security's filter, so that the authenticated principal is known.
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 1);
        return registration;
    }

    @Bean
    @ConditionalOnMissingBean
    AdmissionRejectedAdvice nemotronAdmissionRejectedAdvice() {
        return new AdmissionRejectedAdvice();
    }

    /** The admin API: controllers, audited changes, strict bodies and the admin security chain. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = NemotronAdminProperties.PREFIX + ".enabled", matchIfMissing = true)
    @EnableWebSecurity
    @Import({ TenantController.class, UsageController.class, AuditController.class, RetentionController.class,
            MeController.class, PlaygroundController.class, AdminExceptionHandler.class })
    static class AdminApiConfiguration {

        @Bean
        @ConditionalOnMissingBean
        AdminChanges nemotronAdminChanges(Tenants tenants, ApiKeys keys, AuditRetention retention,
                AdminAuditLog log, javax.sql.DataSource dataSource, ObjectProvider<JsonMapper> json) {
            return new AdminChanges(tenants, keys, retention, log, new DataSourceTransactionManager(dataSource),
                    JsonMappers.of(json));
        }

        @Bean
        WebMvcConfigurer nemotronAdminStrictBodies(ObjectProvider<JsonMapper> json) {
            StrictBodyResolver resolver = new StrictBodyResolver(JsonMappers.of(json));
            return new WebMvcConfigurer() {
                @Override
                public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                    resolvers.add(resolver);
                }
            };
        }

        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE + 50)
        SecurityFilterChain nemotronAdminSecurityFilterChain(HttpSecurity http, NemotronAdminProperties admin,
                ProblemResponses problems, ObjectProvider<AdminJwt> jwt) throws Exception {
            return AdminSecurity.chain(http, new AdminSecurity.Settings(admin.getBasePath(), admin.getRole(),
                    admin.getUsername(), admin.getPassword()), problems, jwt.getIfAvailable());
        }

    }

    /** Bearer JWTs on the admin routes, when the OAuth2 resource server is present and a decoder configured. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JwtDecoder.class)
    static class AdminJwtConfiguration {

        @Bean
        @ConditionalOnBean(JwtDecoder.class)
        AdminJwt nemotronAdminJwt(JwtDecoder decoder, NemotronAdminProperties admin,
                ProblemResponses problems) {
            return new AdminJwt(decoder, admin.getJwtRolesClaim(), problems);
        }

    }

}
