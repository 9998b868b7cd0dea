package io.nemotron4j.spring.admin;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The admin routes' own {@link SecurityFilterChain}: it matches only {@code {base}/**}, so the host application's
 * security (or the lack of it) is untouched, and every route needs the admin role.
 *
 * <p>Who can sign in: the built-in user from properties (when it has a password), otherwise the application's own
 * authentication (its {@code UserDetailsService}, say), and bearer JWTs when the application configures an OAuth2
 * resource server. Three ways in: HTTP Basic (scripts; no session is created), form login at {@code {base}/login}
 * with logout at {@code {base}/logout} (browsers; a session), and bearer JWTs.
 *
 * <p>CSRF: changes in a session need the token from the {@code XSRF-TOKEN} cookie in the {@code X-XSRF-TOKEN}
 * header (or the {@code _csrf} field of the login form). Requests that carry their own {@code Authorization} header are exempt, because a cross-site page cannot
 * set that header; the only way it could ride on one is a browser replaying cached Basic credentials. That is closed
 * twice: the 401 never challenges with {@code Basic} (see {@link ProblemResponses}), so browsers never cache them,
 * and a request that a browser marks as cross-site or same-site ({@code Sec-Fetch-Site}) does not get the exemption
 * even with an {@code Authorization} header. Bodies of changes are read only as {@code application/json}
 * ({@link StrictBodyResolver}), which HTML forms cannot send.
 *
 * @since 0.1.0
 */
public final class AdminSecurity {

    private AdminSecurity() {
    }

    /**
     * The settings the chain is built from.
     * @param basePath the admin base path, without a trailing slash
     * @param role the role every route needs (without {@code ROLE_})
     * @param username the built-in user
     * @param password its password with an encoding prefix, or {@code null} for no built-in user
     */
    public record Settings(String basePath, String role, String username, @Nullable String password) {

        /**
         * Checks the settings.
         * @throws IllegalArgumentException if the base path is not absolute or the password has no encoding prefix
         */
        public Settings {
            if (!basePath.startsWith("/") || basePath.endsWith("/") || basePath.contains("*")) {
                throw new IllegalArgumentException("nemotron.governance.admin.base-path must start with '/' and "
                        + "end without one, was '" + basePath + "'");
            }
            if (password != null && !password.isEmpty() && !password.startsWith("{")) {
                throw new IllegalArgumentException("nemotron.governance.admin.password needs its encoding as a "
                        + "prefix: {bcrypt}$2a$... or, for development only, {noop}...");
            }
        }

    }

    /**
     * Builds the chain.
     * @param http the builder
     * @param settings the settings
     * @param problems writes 401 and 403 problems
     * @param jwt configures bearer JWTs, or {@code null} when the application has no JWT decoder
     * @return the chain
     * @throws Exception if Spring Security refuses the configuration
     */
    public static SecurityFilterChain chain(HttpSecurity http, Settings settings, ProblemResponses problems,
            @Nullable Customizer<HttpSecurity> jwt) throws Exception {
        String base = settings.basePath();
        String login = base + "/login";
        AuthenticationManager builtIn = builtInUser(settings);
        if (builtIn != null) {
            http.authenticationManager(builtIn);
        }
        LoginUrlAuthenticationEntryPoint loginPage = new LoginUrlAuthenticationEntryPoint(login);
        // Only a dashboard page a browser navigated to is worth returning to after the login, never an API call.
        HttpSessionRequestCache pages = new HttpSessionRequestCache();
        pages.setRequestMatcher(pageNavigation(base));
        http.securityMatcher(base + "/**")
            // The login page and what it loads (kept under {base}/login/) are open; everything else needs the role.
            .authorizeHttpRequests((requests) -> requests.requestMatchers(login, login + "/**").permitAll()
                .anyRequest()
                .hasRole(settings.role()))
            .httpBasic((basic) -> basic.authenticationEntryPoint(problems)
                // Basic-authenticated requests stay stateless: no session, so no cookie a browser could replay.
                .securityContextRepository(new RequestAttributeSecurityContextRepository()))
            .formLogin((form) -> form.loginPage(login)
                .loginProcessingUrl(login)
                .defaultSuccessUrl(base + "/", false)
                .failureUrl(login + "?error")
                .permitAll())
            .requestCache((cache) -> cache.requestCache(pages))
            .logout((logout) -> logout.logoutUrl(base + "/logout").logoutSuccessUrl(login + "?logout"))
            // The token travels in a cookie (for the dashboard's scripts) and comes back in the X-XSRF-TOKEN header or
            // the _csrf form field as it is: it is never written into a response body, so it needs no BREACH mask.
            .csrf((csrf) -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                .ignoringRequestMatchers(AdminSecurity::ownCredentialsNotCrossSite))
            .addFilterAfter(new CsrfCookieFilter(), CsrfFilter.class)
            .exceptionHandling((exceptions) -> exceptions
                // Pages of the dashboard send browsers to the login form; everything else gets a 401 problem.
                .defaultAuthenticationEntryPointFor(loginPage, AdminSecurity.pageNavigation(base))
                .defaultAuthenticationEntryPointFor(problems, (request) -> true)
                // A signed-in user without the role who opens a page learns why on the login form, where they can
                // sign in as someone else; a raw JSON 403 would leave them stuck. API calls get the 403 problem.
                .defaultAccessDeniedHandlerFor(new LacksRoleRedirect(login, problems),
                        AdminSecurity.pageNavigation(base))
                .defaultAccessDeniedHandlerFor(problems, (request) -> true));
        if (jwt != null) {
            jwt.customize(http);
        }
        return http.build();
    }

    /** A request with its own credentials, which no cross-site page can forge (see the class description). */
    static boolean ownCredentialsNotCrossSite(HttpServletRequest request) {
        if (request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
            return false;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        return site == null || site.equals("same-origin") || site.equals("none");
    }

    /**
     * A browser opening a page under the base path: marked as a navigation ({@code Sec-Fetch-Mode}) or, for
     * browsers that do not send that header, asking for HTML. The dashboard's scripts ask for JSON.
     */
    private static RequestMatcher pageNavigation(String base) {
        return (request) -> !request.getRequestURI().startsWith(request.getContextPath() + base + "/api/")
                && ("navigate".equals(request.getHeader("Sec-Fetch-Mode")) || acceptsHtml(request));
    }

    private static boolean acceptsHtml(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.contains(MediaType.TEXT_HTML_VALUE);
    }

    private static @Nullable AuthenticationManager builtInUser(Settings settings) {
        if (settings.password() == null || settings.password().isEmpty()) {
            return null;
        }
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager(
                User.withUsername(settings.username()).password(settings.password()).roles(settings.role()).build());
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(PasswordEncoderFactories.createDelegatingPasswordEncoder());
        return new ProviderManager(List.of(provider));
    }

}
