package io.nemotron4j.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the governance admin API and dashboard ({@code nemotron.governance.admin.*}).
 *
 * @since 0.1.0
 */
@ConfigurationProperties(NemotronAdminProperties.PREFIX)
public class NemotronAdminProperties {

    /** The prefix of these properties. */
    public static final String PREFIX = "nemotron.governance.admin";

    /** Whether to serve the admin API (and the dashboard when it is on the class path). */
    private boolean enabled = true;

    /** Path under which the dashboard is served; the API is at {base-path}/api. */
    private String basePath = "/nemotron/admin";

    /** Name of the built-in admin user (HTTP Basic and form login). */
    private String username = "admin";

    /** Password of the built-in admin user ({bcrypt}... or {noop}...); without one no built-in user exists. */
    private @Nullable String password;

    /** Role every admin route requires (without the ROLE_ prefix). */
    private String role = "NEMOTRON_ADMIN";

    /** JWT claim whose values become roles when bearer JWTs are accepted (a list or a space-separated string). */
    private String jwtRolesClaim = "roles";

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getBasePath() {
        return this.basePath;
    }

    public void setBasePath(String basePath) {
        this.basePath = basePath;
    }

    public String getUsername() {
        return this.username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public @Nullable String getPassword() {
        return this.password;
    }

    public void setPassword(@Nullable String password) {
        this.password = password;
    }

    public String getRole() {
        return this.role;
    }

    public void setRole(String role) {
        this.role = role;
    }

    public String getJwtRolesClaim() {
        return this.jwtRolesClaim;
    }

    public void setJwtRolesClaim(String jwtRolesClaim) {
        this.jwtRolesClaim = jwtRolesClaim;
    }

}
