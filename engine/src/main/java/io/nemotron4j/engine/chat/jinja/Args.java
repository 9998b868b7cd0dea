package io.nemotron4j.engine.chat.jinja;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The arguments of one call, positional and keyword, bound to a Python-style signature with CPython's errors for
 * too many, unknown or repeated arguments.
 */
record Args(List<Object> positional, Map<String, Object> keyword) {

    /** Marks a parameter the call did not supply. */
    static final Object MISSING = new Object();

    static final Args NONE = new Args(List.of(), Map.of());

    static Args of(Object... positional) {
        return new Args(Arrays.asList(positional), Map.of());
    }

    /** One slot per name, in order; {@link #MISSING} where the call gave nothing. */
    Object[] bind(String function, String... names) {
        if (positional.size() > names.length) {
            throw PyError.type(function + "() takes at most " + names.length + " argument" + (names.length == 1 ? "" : "s")
                    + " (" + positional.size() + " given)");
        }
        Object[] out = new Object[names.length];
        Arrays.fill(out, MISSING);
        for (int i = 0; i < positional.size(); i++) {
            out[i] = positional.get(i);
        }
        for (Map.Entry<String, Object> e : keyword.entrySet()) {
            int at = Arrays.asList(names).indexOf(e.getKey());
            if (at < 0) {
                throw PyError.type(function + "() got an unexpected keyword argument " + Py.repr(e.getKey()));
            }
            if (out[at] != MISSING) {
                throw PyError.type(function + "() got multiple values for argument " + Py.repr(e.getKey()));
            }
            out[at] = e.getValue();
        }
        return out;
    }

    /** Binds and fails unless every one of the first {@code required} parameters was given. */
    Object[] bindRequired(String function, int required, String... names) {
        Object[] out = bind(function, names);
        for (int i = 0; i < required; i++) {
            if (out[i] == MISSING) {
                throw PyError.type(function + "() missing required argument " + Py.repr(names[i]));
            }
        }
        return out;
    }

    static Object or(Object bound, Object fallback) {
        return bound == MISSING ? fallback : bound;
    }
}
