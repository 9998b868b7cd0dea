package io.nemotron4j.engine.chat.jinja;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Python's view of the values a template handles: {@code null} is {@code None}, {@link Long} is {@code int},
 * {@link Double} is {@code float}, {@link String}, {@link List} ({@link PyTuple} for tuples) and {@link Map} are
 * {@code str}, {@code list} and {@code dict}. Truthiness, {@code str()}, {@code repr()}, equality, ordering,
 * membership and length follow CPython, including its error messages.
 */
final class Py {

    private Py() {
    }

    static String typeName(Object v) {
        return switch (v) {
            case null -> "NoneType";
            case Boolean b -> "bool";
            case Long l -> "int";
            case Double d -> "float";
            case String s -> "str";
            case PyTuple t -> "tuple";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            case Undefined u -> "Undefined";
            case Namespace n -> "Namespace";
            case LoopContext l -> "LoopContext";
            case Macro m -> "Macro";
            case JinjaCallable c -> "builtin_function_or_method";
            default -> v.getClass().getSimpleName();
        };
    }

    static boolean truthy(Object v) {
        return switch (v) {
            case null -> false;
            case Undefined u -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case Double d -> d != 0.0;
            case String s -> !s.isEmpty();
            case List<?> l -> !l.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            default -> true;
        };
    }

    /** Python's {@code str(v)}, except that undefined prints as nothing, as Jinja2 prints it. */
    static String str(Object v) {
        return v instanceof String s ? s : v instanceof Undefined ? "" : repr(v);
    }

    /** Python's {@code repr(v)}. */
    static String repr(Object v) {
        StringBuilder sb = new StringBuilder();
        appendRepr(sb, v);
        return sb.toString();
    }

    private static void appendRepr(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("None");
            case Boolean b -> sb.append(b ? "True" : "False");
            case Long l -> sb.append(l);
            case Double d -> sb.append(floatRepr(d));
            case String s -> appendStringRepr(sb, s);
            case PyTuple t -> {
                sb.append('(');
                appendItems(sb, t);
                sb.append(t.size() == 1 ? ",)" : ")");
            }
            case List<?> l -> {
                sb.append('[');
                appendItems(sb, l);
                sb.append(']');
            }
            case Map<?, ?> m -> appendDict(sb, m);
            case Namespace n -> {
                sb.append("<Namespace ");
                appendDict(sb, n.attributes());
                sb.append('>');
            }
            case Undefined u -> sb.append("Undefined");
            case LoopContext l -> sb.append("<LoopContext ").append(l.index0() + 1).append('/').append(l.length())
                    .append('>');
            default -> sb.append(v);
        }
    }

    private static void appendItems(StringBuilder sb, List<?> items) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            appendRepr(sb, items.get(i));
        }
    }

    private static void appendDict(StringBuilder sb, Map<?, ?> m) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            appendRepr(sb, e.getKey());
            sb.append(": ");
            appendRepr(sb, e.getValue());
        }
        sb.append('}');
    }

    // CPython prefers single quotes and switches to double quotes only to avoid escaping a single quote.
    private static void appendStringRepr(StringBuilder sb, String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        sb.append(quote);
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (cp == quote) {
                        sb.append('\\').append(quote);
                    } else if (isPrintable(cp)) {
                        sb.appendCodePoint(cp);
                    } else if (cp < 0x100) {
                        sb.append(String.format("\\x%02x", cp));
                    } else if (cp < 0x10000) {
                        sb.append(String.format("\\u%04x", cp));
                    } else {
                        sb.append(String.format("\\U%08x", cp));
                    }
                }
            }
        });
        sb.append(quote);
    }

    // str.isprintable(): everything but controls, formats, surrogates, private use, unassigned and separators
    // other than the ASCII space.
    private static boolean isPrintable(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                    Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    /**
     * Python's {@code repr(float)}: the shortest digits that read back to the same double (which
     * {@link Double#toString} also finds), laid out as Python does: positional for exponents -5 to 15, else
     * {@code 1e+16} style.
     */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int exponent = digits.length() - 1 - exact.scale();
        StringBuilder sb = new StringBuilder(d < 0 ? "-" : "");
        if (exponent < -4 || exponent >= 16) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            sb.append(abs < 10 ? "0" : "").append(abs);
        } else if (exponent < 0) {
            sb.append("0.").append("0".repeat(-exponent - 1)).append(digits);
        } else if (digits.length() <= exponent + 1) {
            sb.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
        } else {
            sb.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
        }
        return sb.toString();
    }

    /** Whether {@code v} is a Python number ({@code bool} counts, as it subclasses {@code int}). */
    static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean;
    }

    /** Whether {@code v} is an {@code int} or {@code bool}. */
    static boolean isIntegral(Object v) {
        return v instanceof Long || v instanceof Boolean;
    }

    /** An {@code int} or {@code bool} as a long; anything else is Python's "cannot be interpreted as an integer". */
    static long toLong(Object v) {
        return switch (v) {
            case Boolean b -> b ? 1 : 0;
            case Long l -> l;
            case null, default -> throw PyError.type("'" + typeName(v) + "' object cannot be interpreted as an integer");
        };
    }

    static double toDouble(Object v) {
        return v instanceof Double d ? d : toLong(v);
    }

    /** Python's {@code ==}. */
    static boolean eq(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Undefined || b instanceof Undefined) {
            return a instanceof Undefined && b instanceof Undefined;
        }
        if (isNumber(a) && isNumber(b)) {
            if (isIntegral(a) && isIntegral(b)) {
                return toLong(a) == toLong(b);
            }
            double x = toDouble(a);
            double y = toDouble(b);
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                return x == y;
            }
            // Exact, as Python compares int with float: 2**53 + 1 is not 2.0**53.
            BigDecimal p = isIntegral(a) ? BigDecimal.valueOf(toLong(a)) : new BigDecimal(x);
            BigDecimal q = isIntegral(b) ? BigDecimal.valueOf(toLong(b)) : new BigDecimal(y);
            return p.compareTo(q) == 0;
        }
        if (a instanceof String || b instanceof String) {
            return a.equals(b);
        }
        if (a instanceof List<?> l && b instanceof List<?> m) {
            if ((a instanceof PyTuple) != (b instanceof PyTuple) || l.size() != m.size()) {
                return false;
            }
            for (int i = 0; i < l.size(); i++) {
                if (!eq(l.get(i), m.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> l && b instanceof Map<?, ?> m) {
            if (l.size() != m.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : l.entrySet()) {
                Object key = findKey(m, e.getKey());
                if (key == NO_KEY || !eq(e.getValue(), m.get(key))) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static final Object NO_KEY = new Object();

    /** The key of {@code m} that Python would consider equal to {@code key}, or a private marker if none is. */
    private static Object findKey(Map<?, ?> m, Object key) {
        if (m.containsKey(key)) {
            return key;
        }
        if (isNumber(key)) {
            for (Object k : m.keySet()) {
                if (isNumber(k) && eq(k, key)) {
                    return k;
                }
            }
        }
        return NO_KEY;
    }

    /** Whether the dict has the key, by Python equality (so {@code 1}, {@code 1.0} and {@code True} are one key). */
    static boolean hasKey(Map<?, ?> m, Object key) {
        return findKey(m, key) != NO_KEY;
    }

    /** Python's {@code d[key] = value}: an equal key already present keeps its place and its original form. */
    static void put(Map<Object, Object> m, Object key, Object value) {
        Object existing = findKey(m, key);
        m.put(existing == NO_KEY ? key : existing, value);
    }

    /** The dict value under a Python-equal key; only call after {@link #hasKey}. */
    static Object getKey(Map<?, ?> m, Object key) {
        return m.get(findKey(m, key));
    }

    /** Python's ordering for {@code <} and friends: negative, zero or positive. */
    static int compare(Object a, Object b, String op) {
        if (a instanceof Undefined u) {
            throw u.error();
        }
        if (b instanceof Undefined u) {
            throw u.error();
        }
        if (isNumber(a) && isNumber(b)) {
            if (isIntegral(a) && isIntegral(b)) {
                return Long.compare(toLong(a), toLong(b));
            }
            return Double.compare(toDouble(a), toDouble(b));
        }
        if (a instanceof String s && b instanceof String t) {
            return compareCodePoints(s, t);
        }
        if (a instanceof List<?> l && b instanceof List<?> m && (a instanceof PyTuple) == (b instanceof PyTuple)) {
            for (int i = 0; i < Math.min(l.size(), m.size()); i++) {
                if (!eq(l.get(i), m.get(i))) {
                    return compare(l.get(i), m.get(i), op);
                }
            }
            return Integer.compare(l.size(), m.size());
        }
        throw PyError.type("'" + op + "' not supported between instances of '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    // Python orders strings by code point; String.compareTo orders by UTF-16 unit, which differs above U+FFFF.
    private static int compareCodePoints(String s, String t) {
        Iterator<Integer> i = s.codePoints().iterator();
        Iterator<Integer> j = t.codePoints().iterator();
        while (i.hasNext() && j.hasNext()) {
            int c = Integer.compare(i.next(), j.next());
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(i.hasNext(), j.hasNext());
    }

    /** Python's {@code item in container}. */
    static boolean contains(Object container, Object item) {
        switch (container) {
            case String s -> {
                if (!(item instanceof String sub)) {
                    throw PyError.type("'in <string>' requires string as left operand, not " + typeName(item));
                }
                return s.contains(sub);
            }
            case List<?> l -> {
                for (Object o : l) {
                    if (eq(o, item)) {
                        return true;
                    }
                }
                return false;
            }
            case Map<?, ?> m -> {
                return hasKey(m, item);
            }
            case Undefined u -> {
                return false;
            }
            case null, default -> throw PyError.type("argument of type '" + typeName(container) + "' is not iterable");
        }
    }

    /** Python's {@code len(v)}; undefined has length 0. */
    static long len(Object v) {
        return switch (v) {
            case String s -> PyStrings.length(s);
            case List<?> l -> l.size();
            case Map<?, ?> m -> m.size();
            case Undefined u -> 0;
            case null, default -> throw PyError.type("object of type '" + typeName(v) + "' has no len()");
        };
    }

    /** The items a {@code for} loop sees: list items, dict keys, string characters; undefined gives none. */
    static List<Object> iterate(Object v) {
        return switch (v) {
            case List<?> l -> new ArrayList<>(l);
            case Map<?, ?> m -> new ArrayList<>(m.keySet());
            case String s -> PyStrings.characters(s);
            case Undefined u -> List.of();
            case null, default -> throw PyError.type("'" + typeName(v) + "' object is not iterable");
        };
    }

    /** Whether {@code iter(v)} would succeed. */
    static boolean isIterable(Object v) {
        return v instanceof List<?> || v instanceof Map<?, ?> || v instanceof String || v instanceof Undefined;
    }
}
