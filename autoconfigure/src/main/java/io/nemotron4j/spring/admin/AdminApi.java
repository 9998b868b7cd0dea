package io.nemotron4j.spring.admin;

/**
 * Where the admin API's routes are: every controller maps its routes under {@link #ROOT}, which resolves the base
 * path property when the application starts.
 */
final class AdminApi {

    /** The root of every API route: {@code {base}/api}. */
    static final String ROOT = "${nemotron.governance.admin.base-path:/nemotron/admin}/api";

    private AdminApi() {
    }

}
