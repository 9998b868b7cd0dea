package io.nemotron4j.spring.admin.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.nemotron4j.spring.admin.LacksRoleRedirect;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.util.HtmlUtils;

/**
 * The sign-in page at {@code {base}/login}, where the admin API's security chain sends browsers without a session.
 * A plain HTML form that posts to the admin API's form login, so it works without scripts; the chain's CSRF token
 * goes in a hidden field. It is self-contained (styles inlined): until the user signs in, the chain lets nothing
 * else under the admin path through.
 *
 * @since 0.1.0
 */
public final class LoginPage {

    private final String page;

    /** Loads the page and inlines the dashboard's stylesheet. */
    public LoginPage() {
        String styles = read("assets/styles.css");
        this.page = read("login.html").replace("{{styles}}", styles);
    }

    private static String read(String name) {
        try {
            return new ClassPathResource(DashboardPage.LOCATION + name).getContentAsString(StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("The dashboard's " + name + " is missing from the class path", ex);
        }
    }

    /**
     * Serves the page, with the outcome of the last attempt ({@code ?error}, {@code ?logout}) when there was one,
     * or, when the admin chain refused a page to the signed-in user ({@code ?denied}), that their account lacks the
     * admin role.
     * @param request the request for {@code {base}/login}
     * @return the page, never cached (it carries a CSRF token)
     */
    public ServerResponse render(ServerRequest request) {
        String message = request.param("error").isPresent()
                ? alert("danger", "alert", "Sign-in failed: wrong user name or password.")
                : request.param("logout").isPresent() ? alert("ok", "status", "You have signed out.")
                        : request.param(LacksRoleRedirect.PARAMETER).isPresent() ? lacksRole(request) : "";
        return ServerResponse.ok()
            .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
            .cacheControl(CacheControl.noStore())
            .body(this.page.replace("{{message}}", message).replace("{{csrf}}", csrfField(request)));
    }

    private static String lacksRole(ServerRequest request) {
        String who = request.principal()
            .map((principal) -> "You are signed in as <strong>" + HtmlUtils.htmlEscape(principal.getName())
                    + "</strong>, but this account")
            .orElse("This account");
        return alert("warn", "alert", who + " lacks the admin role. Sign in below as another user who has it.");
    }

    private static String alert(String kind, String role, String text) {
        return "<div class=\"alert " + kind + "\" role=\"" + role + "\" id=\"login-message\">" + text + "</div>";
    }

    private static String csrfField(ServerRequest request) {
        Object attribute = request.servletRequest().getAttribute(CsrfToken.class.getName());
        if (!(attribute instanceof CsrfToken token)) {
            return "";
        }
        return "<input type=\"hidden\" name=\"" + HtmlUtils.htmlEscape(token.getParameterName()) + "\" value=\""
                + HtmlUtils.htmlEscape(token.getToken()) + "\">";
    }

}
