package io.nemotron4j.engine.chat.jinja;

/**
 * Jinja2's default {@code Undefined}: what a missing variable, attribute or item evaluates to. It prints as nothing,
 * is falsy, iterates as empty and has length 0; anything that needs a real value from it (an attribute, an item, a
 * call, arithmetic, ordering) raises {@code UndefinedError} with the message recorded where it was made.
 */
final class Undefined {

    private final String message;

    private Undefined(String message) {
        this.message = message;
    }

    /** A variable that no scope, context or global defines. */
    static Undefined name(String name) {
        return new Undefined(Py.repr(name) + " is undefined");
    }

    /** A missing attribute ({@code obj.key}, or a string item) or element ({@code obj[3]}) of {@code owner}. */
    static Undefined member(Object owner, Object key) {
        String what = key instanceof String ? " has no attribute " : " has no element ";
        return new Undefined(Py.repr(objectTypeRepr(owner)) + what + Py.repr(key));
    }

    /** An undefined value with a free-form explanation, e.g. the first item of an empty sequence. */
    static Undefined because(String message) {
        return new Undefined(message);
    }

    /** The error raised when the value is used as if it were defined. */
    PyError error() {
        return new PyError("UndefinedError: " + message);
    }

    // Jinja2's object_type_repr: None by name, builtins as "<type> object".
    private static String objectTypeRepr(Object owner) {
        if (owner == null) {
            return "None";
        }
        return (owner instanceof Namespace ? "jinja2.utils.Namespace" : Py.typeName(owner)) + " object";
    }
}
