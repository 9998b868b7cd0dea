package io.nemotron4j.spring.admin;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/**
 * Sends a browser whose signed-in user lacks the admin role from a dashboard page to the login page, which says so
 * and lets them sign in as someone else. Other refusals (a missing CSRF token, nobody signed in) are not about the
 * role, so they go to the fallback handler.
 *
 * @since 0.1.0
 */
public final class LacksRoleRedirect implements AccessDeniedHandler {

    /**
     * The query parameter of the login page that this handler adds: the login page shows that the signed-in user
     * lacks the admin role.
     */
    public static final String PARAMETER = "denied";

    private final String target;

    private final AccessDeniedHandler fallback;

    /**
     * Creates the handler.
     * @param loginPage the login page, relative to the servlet context
     * @param fallback handles the refusals that are not about the role
     */
    LacksRoleRedirect(String loginPage, AccessDeniedHandler fallback) {
        this.target = loginPage + "?" + PARAMETER;
        this.fallback = fallback;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response,
            AccessDeniedException accessDeniedException) throws IOException, ServletException {
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        if (accessDeniedException instanceof CsrfException || current == null
                || current instanceof AnonymousAuthenticationToken) {
            this.fallback.handle(request, response, accessDeniedException);
            return;
        }
        response.sendRedirect(request.getContextPath() + this.target);
    }

}
