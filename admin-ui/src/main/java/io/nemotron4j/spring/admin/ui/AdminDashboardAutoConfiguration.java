package io.nemotron4j.spring.admin.ui;

import io.nemotron4j.spring.autoconfigure.NemotronGovernanceAutoConfiguration;
import io.nemotron4j.spring.governance.Tenants;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.CacheControl;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

import static org.springframework.web.servlet.function.RequestPredicates.GET;

/**
 * Serves the admin dashboard at {@code {base}/} (default {@code /nemotron/admin/}) in servlet web applications
 * that run governance with its admin API ({@code nemotron.governance.admin.enabled}, on by default): the page at
 * {@code {base}/}, its scripts and styles under {@code {base}/assets/}, and the sign-in page at
 * {@code {base}/login}.
 *
 * <p>Everything is under {@code {base}/**}, so the admin API's own {@code SecurityFilterChain} guards the dashboard
 * as it guards the API: the host application's security is neither used nor changed, the sign-in page posts to the
 * admin API's form login at {@code {base}/login}, and changes carry the {@code XSRF-TOKEN} cookie's value back in
 * the {@code X-XSRF-TOKEN} header.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = NemotronGovernanceAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ WebMvcConfigurer.class, CsrfToken.class })
@ConditionalOnBean(Tenants.class)
@ConditionalOnBooleanProperty(name = "nemotron.governance.admin.enabled", matchIfMissing = true)
public class AdminDashboardAutoConfiguration {

    @Bean
    DashboardPaths nemotronDashboardPaths(Environment environment) {
        return DashboardPaths.from(environment);
    }

    @Bean
    DashboardPage nemotronDashboardPage(DashboardPaths paths) {
        return new DashboardPage(paths);
    }

    @Bean
    LoginPage nemotronDashboardLoginPage() {
        return new LoginPage();
    }

    @Bean
    RouterFunction<ServerResponse> nemotronDashboardRoutes(DashboardPaths paths, DashboardPage page,
            LoginPage login) {
        return RouterFunctions.route()
            .route(GET(paths.base() + "/"), page::render)
            .route(GET(paths.base() + "/login"), login::render)
            .route(GET(paths.base()), page::redirectToSlash)
            .build();
    }

    @Bean
    WebMvcConfigurer nemotronDashboardAssets(DashboardPaths paths) {
        return new WebMvcConfigurer() {

            @Override
            public void addResourceHandlers(ResourceHandlerRegistry registry) {
                // Revalidated on every load (Last-Modified), so a new version of the jar is never half-applied.
                registry.addResourceHandler(paths.base() + "/assets/**")
                    .addResourceLocations("classpath:/" + DashboardPage.LOCATION + "assets/")
                    .setCacheControl(CacheControl.noCache());
            }

        };
    }

}
