package io.nemotron4j.spring.admin;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Writes 401 and 403 problems from the security filters, before any controller runs.
 *
 * <p>The 401 deliberately carries no {@code WWW-Authenticate: Basic} challenge: a browser that receives one shows
 * its login prompt and then sends the typed credentials with every later request to the site on its own, including
 * cross-site form posts, which would make HTTP Basic a CSRF hole. Without the challenge browsers never prompt and
 * never cache Basic credentials; scripts and {@code curl -u} send them pre-emptively and are unaffected. The
 * challenge is {@code Bearer} instead, which browsers do not act on.
 *
 * @since 0.1.0
 */
public class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final JsonMapper json;

    /**
     * Creates the writer.
     * @param json writes the problems
     */
    public ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException authException) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"nemotron-admin\"");
        write(response, Problems.of(HttpStatus.UNAUTHORIZED, Problems.UNAUTHORIZED, "Unauthorized",
                "sign in, or send HTTP Basic credentials or a bearer token of an admin"));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response,
            AccessDeniedException accessDeniedException) throws IOException {
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        if ((current == null || current instanceof AnonymousAuthenticationToken)
                && request.getHeader("Authorization") == null) {
            // A change refused for its missing CSRF token from someone who neither signed in nor sent credentials:
            // the same 401 as for any anonymous request.
            commence(request, response, new InsufficientAuthenticationException("not signed in"));
            return;
        }
        write(response, Problems.of(HttpStatus.FORBIDDEN, Problems.FORBIDDEN, "Forbidden",
                "this needs the admin role (or, for a change in a browser session, a valid X-XSRF-TOKEN header)"));
    }

    /**
     * Writes a problem as the response.
     * @param response the response
     * @param problem the problem
     * @throws IOException if writing fails
     */
    void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(this.json.writeValueAsString(problem));
    }

}
