package io.nemotron4j.spring.admin.ui;

import org.springframework.core.env.Environment;
import org.springframework.util.Assert;

/**
 * Where the dashboard lives and where it finds Actuator, from the same properties the admin API reads
 * ({@code nemotron.governance.admin.base-path}) and Spring Boot's management settings.
 *
 * @param base the admin base path without a trailing slash, e.g. {@code /nemotron/admin}
 * @param actuator the Actuator base path on the application's own port (e.g. {@code /actuator}), or empty when
 * Actuator runs on a separate management port the browser cannot reach from the dashboard's origin
 * @since 0.1.0
 */
public record DashboardPaths(String base, String actuator) {

    /** The property that moves the admin API and the dashboard. */
    public static final String BASE_PATH_PROPERTY = "nemotron.governance.admin.base-path";

    /** The admin base path when the property is not set. */
    public static final String DEFAULT_BASE_PATH = "/nemotron/admin";

    /** Checks the paths. */
    public DashboardPaths {
        Assert.isTrue(base.startsWith("/") && !base.endsWith("/"),
                () -> BASE_PATH_PROPERTY + " must start with '/' and must not end with '/' (was '" + base + "')");
        Assert.notNull(actuator, "actuator must not be null");
    }

    /**
     * Reads the paths from the environment.
     * @param environment the application's environment
     * @return the paths
     */
    public static DashboardPaths from(Environment environment) {
        String base = environment.getProperty(BASE_PATH_PROPERTY, DEFAULT_BASE_PATH).strip();
        if (base.length() > 1 && base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String managementPort = environment.getProperty("management.server.port");
        boolean ownPort = managementPort == null
                || managementPort.equals(environment.getProperty("server.port", managementPort));
        String actuator = ownPort ? environment.getProperty("management.endpoints.web.base-path", "/actuator") : "";
        return new DashboardPaths(base, actuator);
    }

}
