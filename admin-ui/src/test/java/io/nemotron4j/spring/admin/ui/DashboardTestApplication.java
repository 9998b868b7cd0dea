package io.nemotron4j.spring.admin.ui;

import java.net.URISyntaxException;
import java.nio.file.Path;

import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.spring.chat.TokenChooserFactory;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The application the browser tests run: the governance starter on PostgreSQL, Spring MVC, Actuator and this
 * module, with the 416 KiB test model (random weights, real tokenizer and chat template) saying a script.
 */
@SpringBootApplication
class DashboardTestApplication {

    /** A user with the admin role. */
    static final String ADMIN = "ada";

    /** A user of the application without the admin role. */
    static final String VIEWER = "vic";

    /** Both users' password. */
    static final String PASSWORD = "dashboard-test-secret";

    @Bean
    TokenChooserFactory scriptedAnswers(NemotronEngine engine) {
        return new ScriptedAnswers(engine);
    }

    /**
     * The application's own users; with no built-in admin password set, the admin API signs in against them, so a
     * user without the role can be shown the door.
     */
    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername(ADMIN).password("{noop}" + PASSWORD).roles("NEMOTRON_ADMIN").build(),
                User.withUsername(VIEWER).password("{noop}" + PASSWORD).roles("VIEWER").build());
    }

    /**
     * The properties every test class sets: the model, a database schema, Actuator's endpoints.
     * @param registry where they go
     * @param schema the test class's database schema
     */
    static void properties(DynamicPropertyRegistry registry, TestSchema schema) {
        registry.add("nemotron.model.path", DashboardTestApplication::modelPath);
        registry.add("nemotron.engine.threads", () -> "1");
        registry.add("spring.datasource.url", schema::url);
        registry.add("spring.datasource.username", () -> TestSchema.USER);
        // The PostgreSQL server is shared by parallel builds: a small pool each.
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "4");
        registry.add("management.endpoints.web.exposure.include", () -> "health,info,metrics,nemotron");
    }

    private static String modelPath() {
        try {
            return Path.of(DashboardTestApplication.class.getResource("/nemotron-h-tok-tekken.gguf").toURI())
                .toString();
        }
        catch (URISyntaxException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
