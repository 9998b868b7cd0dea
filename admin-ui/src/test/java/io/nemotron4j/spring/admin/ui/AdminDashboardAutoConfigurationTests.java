package io.nemotron4j.spring.admin.ui;

import io.nemotron4j.spring.governance.Tenants;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the dashboard is served and where: only in servlet web applications that run governance with its admin API,
 * under the admin base path, with Actuator's path when the browser can reach it.
 */
class AdminDashboardAutoConfigurationTests {

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AdminDashboardAutoConfiguration.class));

    @Configuration(proxyBeanMethods = false)
    static class Governance {

        @Bean
        Tenants tenants() {
            // Never queried here: the dashboard only checks that governance is on.
            return new Tenants(JdbcClient.create(new DriverManagerDataSource("jdbc:postgresql://unused/none")));
        }

    }

    @Test
    void servesTheDashboardAtTheDefaultBasePathWhenGovernanceIsOn() {
        this.web.withUserConfiguration(Governance.class).run(context -> {
            assertThat(context).hasSingleBean(DashboardPage.class);
            assertThat(context.getBean(DashboardPaths.class))
                .isEqualTo(new DashboardPaths("/nemotron/admin", "/actuator"));
        });
    }

    @Test
    void followsTheAdminBasePathAndActuatorsBasePath() {
        this.web.withUserConfiguration(Governance.class)
            .withPropertyValues("nemotron.governance.admin.base-path=/ops/llm/",
                    "management.endpoints.web.base-path=/manage")
            .run(context -> assertThat(context.getBean(DashboardPaths.class))
                .isEqualTo(new DashboardPaths("/ops/llm", "/manage")));
    }

    @Test
    void leavesActuatorOutWhenItRunsOnAnotherPort() {
        this.web.withUserConfiguration(Governance.class)
            .withPropertyValues("server.port=8080", "management.server.port=9090")
            .run(context -> assertThat(context.getBean(DashboardPaths.class).actuator()).isEmpty());
        this.web.withUserConfiguration(Governance.class)
            .withPropertyValues("server.port=8080", "management.server.port=8080")
            .run(context -> assertThat(context.getBean(DashboardPaths.class).actuator()).isEqualTo("/actuator"));
    }

    @Test
    void refusesABasePathWithoutALeadingSlash() {
        this.web.withUserConfiguration(Governance.class)
            .withPropertyValues("nemotron.governance.admin.base-path=nemotron/admin")
            .run(context -> assertThat(context).getFailure()
                .rootCause()
                .hasMessageContaining("nemotron.governance.admin.base-path must start with '/'"));
    }

    @Test
    void isOffWithoutGovernance() {
        this.web.run(context -> assertThat(context).doesNotHaveBean(DashboardPage.class));
    }

    @Test
    void isOffWhenTheAdminApiIsOff() {
        this.web.withUserConfiguration(Governance.class)
            .withPropertyValues("nemotron.governance.admin.enabled=false")
            .run(context -> assertThat(context).doesNotHaveBean(DashboardPage.class));
    }

    @Test
    void isOffOutsideServletWebApplications() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AdminDashboardAutoConfiguration.class))
            .withUserConfiguration(Governance.class)
            .run(context -> assertThat(context).doesNotHaveBean(DashboardPage.class));
    }

}
