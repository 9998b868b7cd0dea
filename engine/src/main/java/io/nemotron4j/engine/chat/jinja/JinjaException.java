package io.nemotron4j.engine.chat.jinja;

/**
 * A template that cannot be compiled or rendered: a syntax error, a construct this interpreter does not support, or
 * an error the template raised while rendering (Jinja2's {@code TypeError}, {@code UndefinedError}, or a message
 * given to {@code raise_exception}).
 */
public final class JinjaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String detail;
    private final int line;

    JinjaException(String detail, int line) {
        super("line " + line + ": " + detail);
        this.detail = detail;
        this.line = line;
    }

    /** What went wrong, without the line, e.g. {@code TypeError: argument of type 'NoneType' is not iterable}. */
    public String detail() {
        return detail;
    }

    /** The 1-based template line the error belongs to. */
    public int line() {
        return line;
    }
}
