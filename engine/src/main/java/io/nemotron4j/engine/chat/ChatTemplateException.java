package io.nemotron4j.engine.chat;

import io.nemotron4j.engine.chat.jinja.JinjaException;

/**
 * A chat template that cannot be compiled, or that failed while rendering a conversation: a syntax error, a
 * construct the engine's Jinja interpreter does not support, an error Jinja2 would raise too (a {@code TypeError},
 * an {@code UndefinedError}), or the message the template passed to {@code raise_exception}.
 */
public final class ChatTemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int line;

    ChatTemplateException(JinjaException cause) {
        super("chat template line " + cause.line() + ": " + cause.detail(), cause);
        this.line = cause.line();
    }

    ChatTemplateException(String message) {
        super(message);
        this.line = 0;
    }

    /** The 1-based template line the error belongs to, or 0 when it is not about one line. */
    public int line() {
        return line;
    }
}
