package io.nemotron4j.spring.admin;

/**
 * An admin request named something that does not exist (404).
 *
 * @since 0.1.0
 */
public class NotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     * @param what the kind of thing, e.g. {@code tenant}
     * @param id the id that matched nothing
     */
    public NotFoundException(String what, Object id) {
        super("no " + what + " with id " + id);
    }

}
