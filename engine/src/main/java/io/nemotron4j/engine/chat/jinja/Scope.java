package io.nemotron4j.engine.chat.jinja;

import java.util.HashMap;
import java.util.Map;

/**
 * Variables visible at one point of a render. As in Jinja2, each {@code for} iteration, macro call and {@code with}
 * block gets a fresh child scope, so what they {@code set} does not outlive them, while {@code if} shares its
 * enclosing scope.
 */
final class Scope {

    /** Returned by {@link #lookup} for a name no scope defines. */
    static final Object ABSENT = new Object();

    private final Scope parent;
    private final Map<String, Object> variables = new HashMap<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    Object lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            if (s.variables.containsKey(name)) {
                return s.variables.get(name);
            }
        }
        return ABSENT;
    }

    void set(String name, Object value) {
        variables.put(name, value);
    }
}
