package io.nemotron4j.spring.admin;

import java.io.IOException;
import java.security.Principal;
import java.util.Optional;

import io.nemotron4j.spring.governance.ApiKeys;
import io.nemotron4j.spring.governance.Caller;
import io.nemotron4j.spring.governance.Tenants;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Binds the governance {@link Caller} of each request to the host's endpoints for as long as the request is
 * handled, so that the governed {@code ChatModel} charges the right tenant: from an API key
 * ({@code Authorization: Bearer n4j_...} or {@code X-API-Key}), otherwise from the authenticated principal when a
 * tenant is mapped to it. A request with neither passes unbound (the governed model then refuses to run for it).
 * An unknown, revoked or expired key, or one of a disabled tenant, is a 401 problem and reaches no endpoint.
 *
 * <p>Also records the client's address and the trace id ({@code traceparent}, else {@code X-B3-TraceId}, else
 * {@code X-Request-Id}) for the audit. Runs after Spring Security, so the principal is known; a streaming endpoint
 * reads the caller when it creates its stream, on this thread, while it is bound.
 *
 * @since 0.1.0
 */
public class CallerFilter extends OncePerRequestFilter {

    /** The header that always carries a key, whatever {@code nemotron.governance.api-key-header} says. */
    public static final String API_KEY_HEADER = "X-API-Key";

    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;

    private final Tenants tenants;

    private final String keyHeader;

    private final String adminBasePath;

    private final ProblemResponses problems;

    /**
     * Creates the filter.
     * @param keys authenticates keys
     * @param tenants maps principals to tenants
     * @param keyHeader the header that carries keys ({@code Authorization} takes a {@code Bearer} key)
     * @param adminBasePath the admin routes, which have their own security and are skipped
     * @param problems writes the 401
     */
    public CallerFilter(ApiKeys keys, Tenants tenants, String keyHeader, String adminBasePath,
            ProblemResponses problems) {
        this.keys = keys;
        this.tenants = tenants;
        this.keyHeader = keyHeader;
        this.adminBasePath = adminBasePath;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals(this.adminBasePath) || path.startsWith(this.adminBasePath + "/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = key(request);
        Optional<Caller> caller;
        if (key != null) {
            caller = this.keys.authenticate(key);
            if (caller.isEmpty()) {
                this.problems.write(response, Problems.of(HttpStatus.UNAUTHORIZED, Problems.UNAUTHORIZED,
                        "Invalid API key", "the API key is unknown, revoked or expired, or its tenant is disabled"));
                return;
            }
        }
        else {
            Principal principal = request.getUserPrincipal();
            caller = (principal != null) ? this.tenants.tenantOfPrincipal(principal.getName())
                .map((tenant) -> new Caller(tenant, null, principal.getName(), null, null)) : Optional.empty();
        }
        if (caller.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        Caller base = caller.get();
        Caller bound = new Caller(base.tenantId(), base.apiKeyId(), base.principal(),
                truncate(request.getRemoteAddr(), 64), truncate(traceId(request), 64));
        try {
            bound.callChecked(() -> {
                chain.doFilter(request, response);
                return null;
            });
        }
        catch (IOException | ServletException | RuntimeException ex) {
            throw ex;
        }
        catch (Exception ex) {
            throw new ServletException(ex);
        }
    }

    private @Nullable String key(HttpServletRequest request) {
        String explicit = request.getHeader(API_KEY_HEADER);
        if (explicit != null && !explicit.isBlank()) {
            return explicit.strip();
        }
        String value = request.getHeader(this.keyHeader);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (this.keyHeader.equalsIgnoreCase("Authorization")) {
            // Only bearer values that look like our keys: other bearer tokens (the host's JWTs) are not ours.
            return (value.regionMatches(true, 0, BEARER, 0, BEARER.length())
                    && value.substring(BEARER.length()).strip().startsWith("n4j_"))
                    ? value.substring(BEARER.length()).strip() : null;
        }
        return value.strip();
    }

    private static @Nullable String traceId(HttpServletRequest request) {
        String traceparent = request.getHeader("traceparent");
        if (traceparent != null) {
            String[] parts = traceparent.split("-");
            if (parts.length >= 3 && parts[1].length() == 32) {
                return parts[1];
            }
        }
        String b3 = request.getHeader("X-B3-TraceId");
        return (b3 != null) ? b3 : request.getHeader("X-Request-Id");
    }

    private static @Nullable String truncate(@Nullable String value, int max) {
        return (value == null || value.length() <= max) ? value : value.substring(0, max);
    }

}
