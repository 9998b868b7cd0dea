package io.nemotron4j.engine.chat.jinja;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Jinja2's built-in tests ({@code x is defined}, {@code x is string}, ...), with Python's type rules. */
final class Tests {

    @FunctionalInterface
    private interface Test {
        boolean test(Object value, Object[] args);
    }

    private record Entry(String[] params, int required, Test test) {
    }

    private static final Map<String, Entry> TESTS = new HashMap<>();

    static {
        plain("defined", v -> !(v instanceof Undefined));
        plain("undefined", v -> v instanceof Undefined);
        plain("none", v -> v == null);
        plain("boolean", v -> v instanceof Boolean);
        plain("true", v -> Boolean.TRUE.equals(v));
        plain("false", v -> Boolean.FALSE.equals(v));
        plain("integer", v -> v instanceof Long);
        plain("float", v -> v instanceof Double);
        plain("number", Py::isNumber);
        plain("string", v -> v instanceof String);
        plain("mapping", v -> v instanceof Map<?, ?>);
        // Anything with len() and [] (so dicts too), as Jinja2's test_sequence checks.
        plain("sequence", v -> v instanceof String || v instanceof List<?> || v instanceof Map<?, ?>
                || v instanceof Undefined);
        plain("iterable", Py::isIterable);
        plain("callable", v -> v instanceof JinjaCallable);
        plain("escaped", v -> false);
        plain("lower", v -> Py.str(v).equals(Py.str(v).toLowerCase(java.util.Locale.ROOT)) && hasCased(Py.str(v)));
        plain("upper", v -> Py.str(v).equals(Py.str(v).toUpperCase(java.util.Locale.ROOT)) && hasCased(Py.str(v)));
        plain("odd", v -> Py.toLong(Arithmetic.binary("%", v, 2L)) == 1);
        plain("even", v -> Py.toLong(Arithmetic.binary("%", v, 2L)) == 0);
        register("divisibleby", 1, (v, a) -> Py.eq(Arithmetic.binary("%", v, a[0]), 0L), "num");
        // Python's "is": identity, which small ints and booleans share whenever they are equal.
        register("sameas", 1, (v, a) -> v == a[0] || ((v instanceof Boolean || v instanceof Long) && v.equals(a[0])),
                "other");
        register("in", 1, (v, a) -> Py.contains(a[0], v), "seq");
        for (String op : new String[] {"==", "eq", "equalto"}) {
            register(op, 1, (v, a) -> Py.eq(v, a[0]), "other");
        }
        for (String op : new String[] {"!=", "ne"}) {
            register(op, 1, (v, a) -> !Py.eq(v, a[0]), "other");
        }
        String[][] orderings = {{"<", "lt", "lessthan"}, {"<=", "le"}, {">", "gt", "greaterthan"}, {">=", "ge"}};
        for (String[] op : orderings) {
            for (String name : op) {
                register(name, 1, (v, a) -> Arithmetic.compare(op[0], v, a[0]), "other");
            }
        }
        plain("filter", v -> v instanceof String s && Filters.exists(s));
        plain("test", v -> v instanceof String s && TESTS.containsKey(s));
    }

    private Tests() {
    }

    private static boolean hasCased(String s) {
        return s.codePoints().anyMatch(cp -> Character.isUpperCase(cp) || Character.isLowerCase(cp));
    }

    private static void plain(String name, java.util.function.Predicate<Object> test) {
        register(name, 0, (v, a) -> test.test(v));
    }

    private static void register(String name, int required, Test test, String... params) {
        TESTS.put(name, new Entry(params, required, test));
    }

    static boolean exists(String name) {
        return TESTS.containsKey(name);
    }

    /** Runs test {@code name} on {@code value}; the name must {@linkplain #exists exist}. */
    static boolean apply(String name, Object value, Args args) {
        Entry e = TESTS.get(name);
        if (e == null) {
            throw PyError.unsupported("test '" + name + "'");
        }
        return e.test().test(value, args.bindRequired(name, e.required(), e.params()));
    }
}
