package io.nemotron4j.engine.chat.jinja;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

/**
 * A compiled Jinja template, rendered as Jinja2 3.x renders it in Hugging Face {@code transformers}' sandboxed chat
 * template environment ({@code trim_blocks}, {@code lstrip_blocks}, loop controls, {@code tojson} as
 * {@code json.dumps}, {@code raise_exception} and {@code strftime_now}).
 *
 * <p>Supported: output and comments with whitespace control, {@code if/elif/else}, {@code for} (with {@code else},
 * an {@code if} filter, unpacking and the {@code loop} variable), {@code break}/{@code continue}, {@code set} (also
 * {@code ns.attr} and block form), {@code macro}, {@code with}, {@code raw}, {@code generation}; Python literals,
 * operators, slicing, string/dict/list methods; Jinja2's common filters and tests. Anything else fails with a
 * {@link JinjaException} naming it and its line: unknown tags, filters and tests in {@link #parse}, Python methods
 * and operations this interpreter lacks when a render reaches them.
 *
 * <p>Undefined variables behave like Jinja2's default {@code Undefined}: they print as nothing and are false, and
 * using them for more raises an error. Instances are immutable and may render concurrently.
 */
public final class Template {

    private final List<Node> body;

    private Template(List<Node> body) {
        this.body = body;
    }

    /**
     * Compiles a template.
     *
     * @throws JinjaException if the source has a syntax error or uses a construct this interpreter does not support
     */
    public static Template parse(String source) {
        return new Template(Parser.parse(source));
    }

    /**
     * Renders with the given variables, which may be {@code null}, {@link Boolean}, {@link Number}, {@link String},
     * {@link Map} and {@link List} (or other collections and arrays), nested freely.
     *
     * @throws JinjaException if rendering fails: a Python-level error, or a message from {@code raise_exception}
     * @throws IllegalArgumentException if a variable holds a value with no template equivalent
     */
    public String render(Map<String, ?> variables) {
        return render(variables, Clock.systemDefaultZone());
    }

    /** As {@link #render(Map)}, with {@code strftime_now} reading the given clock. */
    public String render(Map<String, ?> variables, Clock clock) {
        Scope root = new Scope(null);
        variables.forEach((k, v) -> root.set(k, Values.normalize(v)));
        return new Interpreter(Globals.standard(() -> ZonedDateTime.now(clock))).render(body, root);
    }
}
