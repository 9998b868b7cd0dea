package io.nemotron4j.engine.chat.jinja;

/**
 * An error raised while evaluating, before the interpreter knows which template line it belongs to; the interpreter
 * turns it into a {@link JinjaException} at the innermost expression or statement that raised it.
 */
final class PyError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    PyError(String detail) {
        super(detail, null, false, false);
    }

    /** Python's {@code TypeError}, with CPython's wording so messages match Jinja2's. */
    static PyError type(String message) {
        return new PyError("TypeError: " + message);
    }

    static PyError value(String message) {
        return new PyError("ValueError: " + message);
    }

    static PyError runtime(String message) {
        return new PyError("TemplateRuntimeError: " + message);
    }

    static PyError unsupported(String what) {
        return new PyError("unsupported " + what);
    }
}
