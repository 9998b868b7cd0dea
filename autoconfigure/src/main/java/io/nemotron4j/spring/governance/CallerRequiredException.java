package io.nemotron4j.spring.governance;

/**
 * A governed model was called with no {@link Caller} bound, so there is no tenant to charge: in a web application
 * the request carried no API key and its principal maps to no tenant. The admin starter answers it with 401.
 *
 * @since 0.1.0
 */
public class CallerRequiredException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public CallerRequiredException() {
        super("No governance caller is bound for this model call, so no tenant can be charged: send an API key "
                + "(Authorization: Bearer n4j_... or X-API-Key), sign in as a principal mapped to a tenant, or run "
                + "the call inside Caller.callAs(...)");
    }

}
