package io.nemotron4j.spring.admin.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.util.HtmlUtils;

/**
 * The dashboard's one HTML page. Its scripts address the admin API relative to the page; only the Actuator path
 * (which depends on the servlet context path and the management settings, not on the page's location) is written
 * into a {@code <meta name="nemotron-actuator">} tag when the page is served.
 *
 * @since 0.1.0
 */
public final class DashboardPage {

    /** Where the dashboard's files are on the class path. */
    public static final String LOCATION = "nemotron4j/admin-ui/";

    private static final String ACTUATOR_PLACEHOLDER = "{{actuator}}";

    private final String template;

    private final DashboardPaths paths;

    /**
     * Loads the page.
     * @param paths where the dashboard and Actuator are
     */
    public DashboardPage(DashboardPaths paths) {
        Assert.notNull(paths, "paths must not be null");
        this.paths = paths;
        try {
            this.template = new ClassPathResource(LOCATION + "index.html").getContentAsString(StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("The dashboard's index.html is missing from the class path", ex);
        }
        Assert.state(this.template.contains(ACTUATOR_PLACEHOLDER), "index.html has no Actuator placeholder");
    }

    /**
     * Serves the page.
     * @param request the request for {@code {base}/}
     * @return the page, never cached so that a new version of the dashboard is picked up at once
     */
    public ServerResponse render(ServerRequest request) {
        String actuator = this.paths.actuator().isEmpty() ? ""
                : request.servletRequest().getContextPath() + this.paths.actuator();
        return ServerResponse.ok()
            .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
            .cacheControl(CacheControl.noStore())
            .body(this.template.replace(ACTUATOR_PLACEHOLDER, HtmlUtils.htmlEscape(actuator)));
    }

    /**
     * Sends {@code {base}} on to {@code {base}/}, so that the page's relative addresses resolve under the base.
     * @param request the request for the base path without its slash
     * @return a redirect
     */
    public ServerResponse redirectToSlash(ServerRequest request) {
        String target = request.servletRequest().getContextPath() + this.paths.base() + "/";
        return ServerResponse.status(302).header("Location", target).build();
    }

}
