package io.nemotron4j.spring.autoconfigure;

import io.nemotron4j.spring.admin.AdminJwt;
import io.nemotron4j.spring.admin.AdmissionRejectedAdvice;
import io.nemotron4j.spring.admin.TenantController;
import io.nemotron4j.spring.governance.GovernanceService;
import io.nemotron4j.spring.governance.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API and the caller filter switch on in servlet web applications with governance, the admin API can be
 * switched off alone, JWT support needs the OAuth2 resource server only when it is there, and applications that are
 * not web applications get none of it. Without the admin chain (admin API or governance off), Spring Boot's default
 * chain does not lock the host's routes either.
 */
class NemotronAdminAutoConfigurationTests {

    private static TestDatabase database;

    @BeforeAll
    static void schema() {
        database = TestDatabase.create();
    }

    @AfterAll
    static void drop() {
        database.close();
    }

    private WebApplicationContextRunner web() {
        return new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    NemotronGovernanceAutoConfiguration.class, NemotronAdminAutoConfiguration.class,
                    NemotronHostRoutesAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=" + database.url(),
                    "spring.datasource.username=" + TestDatabase.USER, "nemotron.governance.sweep-interval=1h");
    }

    @Test
    void aWebApplicationWithGovernanceGetsTheAdminApiItsChainAndTheCallerFilter() {
        web().run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(TenantController.class).hasSingleBean(AdmissionRejectedAdvice.class);
            assertThat(context.getBeansOfType(SecurityFilterChain.class)).containsOnlyKeys(
                    "nemotronAdminSecurityFilterChain");
            assertThat(context.getBean("nemotronCallerFilter")).isInstanceOf(FilterRegistrationBean.class);
            assertThat(context).doesNotHaveBean(AdminJwt.class);
        });
    }

    @Test
    void theAdminApiCanBeSwitchedOffAloneAndTheHostsRoutesStayUnsecured() {
        web().withPropertyValues("nemotron.governance.admin.enabled=false").run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(TenantController.class);
            // Not Spring Boot's default chain (a login over everything): one that matches no request.
            assertThat(context.getBeansOfType(SecurityFilterChain.class)).containsOnlyKeys(
                    "nemotronHostRoutesUntouched");
            assertThat(context.getBean(SecurityFilterChain.class).getFilters()).isEmpty();
            assertThat(context.getBean("nemotronCallerFilter")).isInstanceOf(FilterRegistrationBean.class);
        });
    }

    @Test
    void withGovernanceOffNothingOfOursSecuresAnythingAndAHostsOwnChainIsKept() {
        web().withPropertyValues("nemotron.governance.enabled=false").run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(GovernanceService.class).doesNotHaveBean("nemotronCallerFilter");
            assertThat(context.getBeansOfType(SecurityFilterChain.class)).containsOnlyKeys(
                    "nemotronHostRoutesUntouched");
        });
        web().withPropertyValues("nemotron.governance.enabled=false")
            .withBean("hostChain", SecurityFilterChain.class,
                    () -> new DefaultSecurityFilterChain(AnyRequestMatcher.INSTANCE))
            .run((context) -> assertThat(context.getBeansOfType(SecurityFilterChain.class))
                .containsOnlyKeys("hostChain"));
    }

    @Test
    void withoutTheOAuth2ResourceServerOnTheClassPathTheAdminApiStillStarts() {
        web().withClassLoader(new FilteredClassLoader("org.springframework.security.oauth2")).run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(TenantController.class);
        });
    }

    @Test
    void anApplicationThatIsNotAWebApplicationGetsNoneOfIt() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    NemotronGovernanceAutoConfiguration.class, NemotronAdminAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=" + database.url(),
                    "spring.datasource.username=" + TestDatabase.USER, "nemotron.governance.sweep-interval=1h")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(GovernanceService.class);
                assertThat(context).doesNotHaveBean(TenantController.class);
                assertThat(context).doesNotHaveBean("nemotronCallerFilter");
            });
    }

}
