package io.nemotron4j.engine.chat.jinja;

import java.util.List;

/** A statement of the template, with the line it starts on for error messages. */
sealed interface Node {

    int line();

    /** Template text, already whitespace-controlled by the lexer. */
    record Text(String text, int line) implements Node {
    }

    /** {@code {{ expr }}}. */
    record Print(Expr expr, int line) implements Node {
    }

    /** {@code if}/{@code elif} branches in order, then the {@code else} body (empty when absent). */
    record If(List<Expr> tests, List<List<Node>> bodies, List<Node> otherwise, int line) implements Node {
    }

    /** {@code {% for target in iterable if filter %}}; {@code filter} may be {@code null}. */
    record For(Target target, Expr iterable, Expr filter, List<Node> body, List<Node> otherwise, int line)
            implements Node {
    }

    /** {@code {% set target = value %}}. */
    record Set(Target target, Expr value, int line) implements Node {
    }

    /** {@code {% set name %}body{% endset %}}. */
    record SetBlock(String name, List<Node> body, int line) implements Node {
    }

    /** {@code {% macro name(params) %}}; {@code defaults} holds {@code null} where a parameter has none. */
    record Macro(String name, List<String> params, List<Expr> defaults, List<Node> body, boolean catchVarargs,
            boolean catchKwargs, int line) implements Node {
    }

    /** {@code {% with a = 1, b = 2 %}body{% endwith %}}. */
    record With(List<String> names, List<Expr> values, List<Node> body, int line) implements Node {
    }

    /** A body rendered as it is: {@code transformers}' {@code {% generation %}} block. */
    record Block(List<Node> body, int line) implements Node {
    }

    record Break(int line) implements Node {
    }

    record Continue(int line) implements Node {
    }

    /** What {@code set} and {@code for} assign to. */
    sealed interface Target {
    }

    record NameTarget(String name) implements Target {
    }

    record TupleTarget(List<String> names) implements Target {
    }

    /** {@code ns.attr}, which only a {@code namespace()} accepts. */
    record NamespaceTarget(String namespace, String attribute) implements Target {
    }
}
