package io.nemotron4j.engine.chat.jinja;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Jinja2's built-in filters that chat templates use, with {@code tojson} replaced by {@code transformers}' version
 * ({@link PyJson}). Filters that turn their input into text ({@code trim}, {@code upper}, ...) read undefined as the
 * empty string and {@code None} as {@code "None"}, as Jinja2's {@code soft_str} does.
 */
final class Filters {

    @FunctionalInterface
    private interface Filter {
        Object apply(Object value, Args args);
    }

    private static final Map<String, Filter> FILTERS = new HashMap<>();
    private static final Pattern WORD = Pattern.compile("\\w+", Pattern.UNICODE_CHARACTER_CLASS);

    static {
        FILTERS.put("abs", (v, a) -> {
            a.bind("abs");
            if (v instanceof Double d) {
                return Math.abs(d);
            }
            if (!Py.isIntegral(v)) {
                throw PyError.type("bad operand type for abs(): '" + Py.typeName(v) + "'");
            }
            return Math.abs(Py.toLong(v));
        });
        FILTERS.put("attr", (v, a) -> Access.pythonAttribute(v, Py.str(a.bindRequired("attr", 1, "name")[0])));
        FILTERS.put("capitalize", text("capitalize", PyStrings::capitalize));
        FILTERS.put("count", (v, a) -> {
            a.bind("count");
            return Py.len(v);
        });
        FILTERS.put("length", FILTERS.get("count"));
        FILTERS.put("default", (v, a) -> {
            Object[] b = a.bind("default", "default_value", "boolean");
            boolean useWhenFalsy = Py.truthy(Args.or(b[1], false));
            return v instanceof Undefined || (useWhenFalsy && !Py.truthy(v)) ? Args.or(b[0], "") : v;
        });
        FILTERS.put("d", FILTERS.get("default"));
        FILTERS.put("dictsort", Filters::dictsort);
        FILTERS.put("escape", text("escape", Filters::escape));
        FILTERS.put("e", FILTERS.get("escape"));
        FILTERS.put("first", (v, a) -> {
            a.bind("first");
            List<Object> items = Py.iterate(v);
            return items.isEmpty() ? Undefined.because("No first item, sequence was empty.") : items.getFirst();
        });
        FILTERS.put("last", (v, a) -> {
            a.bind("last");
            List<Object> items = Py.iterate(v);
            return items.isEmpty() ? Undefined.because("No last item, sequence was empty.") : items.getLast();
        });
        FILTERS.put("float", Filters::toFloat);
        FILTERS.put("indent", Filters::indent);
        FILTERS.put("int", Filters::toInt);
        FILTERS.put("items", (v, a) -> {
            a.bind("items");
            if (v instanceof Undefined) {
                return new ArrayList<>();
            }
            if (!(v instanceof Map<?, ?> m)) {
                throw PyError.type("Can only get item pairs from a mapping.");
            }
            List<Object> out = new ArrayList<>();
            m.forEach((k, x) -> out.add(PyTuple.of(k, x)));
            return out;
        });
        FILTERS.put("join", (v, a) -> {
            Object[] b = a.bind("join", "d", "attribute");
            List<Object> items = Py.iterate(v);
            if (b[1] != Args.MISSING && b[1] != null) {
                items = items.stream().map(attributeGetter(b[1], null)).toList();
            }
            StringBuilder sb = new StringBuilder();
            String separator = Py.str(Args.or(b[0], ""));
            for (int i = 0; i < items.size(); i++) {
                sb.append(i == 0 ? "" : separator).append(Py.str(items.get(i)));
            }
            return sb.toString();
        });
        FILTERS.put("list", (v, a) -> {
            a.bind("list");
            return Py.iterate(v);
        });
        FILTERS.put("lower", text("lower", s -> s.toLowerCase(Locale.ROOT)));
        FILTERS.put("upper", text("upper", s -> s.toUpperCase(Locale.ROOT)));
        FILTERS.put("title", text("title", PyStrings::title));
        FILTERS.put("map", Filters::map);
        FILTERS.put("max", (v, a) -> extreme(v, a, "max", 1));
        FILTERS.put("min", (v, a) -> extreme(v, a, "min", -1));
        FILTERS.put("select", (v, a) -> select(v, a, false, true));
        FILTERS.put("reject", (v, a) -> select(v, a, false, false));
        FILTERS.put("selectattr", (v, a) -> select(v, a, true, true));
        FILTERS.put("rejectattr", (v, a) -> select(v, a, true, false));
        FILTERS.put("replace", (v, a) -> {
            Object[] b = a.bindRequired("replace", 2, "old", "new", "count");
            Object count = Args.or(b[2], null);
            return PyStrings.replace(Py.str(v), Py.str(b[0]), Py.str(b[1]), count == null ? -1 : Py.toLong(count));
        });
        FILTERS.put("reverse", (v, a) -> {
            a.bind("reverse");
            if (v instanceof String s) {
                return new StringBuilder(s).reverse().toString();
            }
            return new ArrayList<>(Py.iterate(v).reversed());
        });
        FILTERS.put("round", Filters::round);
        // Autoescaping is off, so "safe" only turns its input into text, as Markup(value) does.
        FILTERS.put("safe", (v, a) -> {
            a.bind("safe");
            return Py.str(v);
        });
        FILTERS.put("sort", Filters::sort);
        FILTERS.put("string", (v, a) -> {
            a.bind("string");
            return Py.str(v);
        });
        FILTERS.put("sum", (v, a) -> {
            Object[] b = a.bind("sum", "attribute", "start");
            List<Object> items = Py.iterate(v);
            if (b[0] != Args.MISSING && b[0] != null) {
                items = items.stream().map(attributeGetter(b[0], null)).toList();
            }
            Object total = Args.or(b[1], 0L);
            for (Object item : items) {
                total = Arithmetic.binary("+", total, item);
            }
            return total;
        });
        FILTERS.put("tojson", Filters::tojson);
        FILTERS.put("trim", (v, a) -> {
            Object chars = Args.or(a.bind("trim", "chars")[0], null);
            return PyStrings.strip(Py.str(v), chars == null ? null : Py.str(chars));
        });
        FILTERS.put("unique", Filters::unique);
        FILTERS.put("wordcount", text("wordcount", s -> WORD.matcher(s).results().count()));
    }

    private Filters() {
    }

    static boolean exists(String name) {
        return FILTERS.containsKey(name);
    }

    /** Applies filter {@code name}; the name must {@linkplain #exists exist}. */
    static Object apply(String name, Object value, Args args) {
        Filter f = FILTERS.get(name);
        if (f == null) {
            throw PyError.unsupported("filter '" + name + "'");
        }
        return f.apply(value, args);
    }

    private static Filter text(String name, Function<String, Object> op) {
        return (v, a) -> {
            a.bind(name);
            return op.apply(Py.str(v));
        };
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&#34;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Jinja2's make_attrgetter: a dotted path of items ({@code "a.0.b"}), with a default for undefined results. */
    private static Function<Object, Object> attributeGetter(Object attribute, Object fallback) {
        List<Object> parts = new ArrayList<>();
        if (attribute instanceof String s) {
            for (String p : s.split("\\.", -1)) {
                parts.add(!p.isEmpty() && p.chars().allMatch(Character::isDigit) ? (Object) Long.parseLong(p) : p);
            }
        } else {
            parts.add(attribute);
        }
        return item -> {
            Object v = item;
            for (Object part : parts) {
                v = Access.item(v, part);
                if (fallback != null && v instanceof Undefined) {
                    v = fallback;
                }
            }
            return v;
        };
    }

    private static Object ignoreCase(Object v, boolean caseSensitive) {
        return !caseSensitive && v instanceof String s ? s.toLowerCase(Locale.ROOT) : v;
    }

    private static Object dictsort(Object v, Args a) {
        Object[] b = a.bind("dictsort", "case_sensitive", "by", "reverse");
        if (!(v instanceof Map<?, ?> m)) {
            throw PyError.type("dictsort() expects a mapping, got " + Py.typeName(v));
        }
        boolean caseSensitive = Py.truthy(Args.or(b[0], false));
        String by = Py.str(Args.or(b[1], "key"));
        if (!by.equals("key") && !by.equals("value")) {
            throw PyError.value("You can only sort by either \"key\" or \"value\"");
        }
        int position = by.equals("key") ? 0 : 1;
        List<Object> items = new ArrayList<>();
        m.forEach((k, x) -> items.add(PyTuple.of(k, x)));
        Arithmetic.sort(items, t -> ignoreCase(((PyTuple) t).get(position), caseSensitive), Py.truthy(Args.or(b[2], false)));
        return items;
    }

    private static Object toFloat(Object v, Args a) {
        Object fallback = Args.or(a.bind("float", "default")[0], 0.0);
        if (Py.isNumber(v)) {
            return Py.toDouble(v);
        }
        if (v instanceof String s) {
            String t = PyStrings.strip(s).replace("_", "").toLowerCase(Locale.ROOT);
            try {
                return switch (t) {
                    case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
                    case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
                    case "nan", "+nan", "-nan" -> Double.NaN;
                    default -> t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?") ? Double.parseDouble(t) : fallback;
                };
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    private static Object toInt(Object v, Args a) {
        Object[] b = a.bind("int", "default", "base");
        Object fallback = Args.or(b[0], 0L);
        int base = (int) Py.toLong(Args.or(b[1], 10L));
        if (Py.isIntegral(v)) {
            return Py.toLong(v);
        }
        if (v instanceof Double d) {
            return Double.isFinite(d) ? (Object) (long) (double) d : fallback;
        }
        if (v instanceof String s) {
            String t = PyStrings.strip(s);
            String digits = t.matches("[+-]?[0-9a-zA-Z]+(_[0-9a-zA-Z]+)*") ? t.replace("_", "") : t;
            try {
                return Long.parseLong(digits, base);
            } catch (NumberFormatException e) {
                // Jinja2 falls back to int(float(value)): "3.7" gives 3.
                Object f = toFloat(s, Args.of((Object) null));
                return f instanceof Double d && Double.isFinite(d) ? (Object) (long) (double) d : fallback;
            }
        }
        return fallback;
    }

    private static Object indent(Object v, Args a) {
        Object[] b = a.bind("indent", "width", "first", "blank");
        Object width = Args.or(b[0], 4L);
        String pad = width instanceof String s ? s : " ".repeat((int) Math.max(0, Py.toLong(width)));
        List<Object> lines = PyStrings.splitlines(Py.str(v) + "\n");
        StringBuilder sb = new StringBuilder();
        if (Py.truthy(Args.or(b[2], false))) {
            for (int i = 0; i < lines.size(); i++) {
                sb.append(i == 0 ? "" : "\n" + pad).append(lines.get(i));
            }
        } else {
            sb.append(lines.getFirst());
            for (int i = 1; i < lines.size(); i++) {
                String line = (String) lines.get(i);
                sb.append('\n').append(line.isEmpty() ? "" : pad + line);
            }
        }
        return Py.truthy(Args.or(b[1], false)) ? pad + sb : sb.toString();
    }

    private static Object map(Object v, Args a) {
        List<Object> items = Py.iterate(v);
        Function<Object, Object> f;
        if (a.positional().isEmpty() && a.keyword().containsKey("attribute")) {
            Object[] b = a.bind("map", "attribute", "default");
            f = attributeGetter(b[0], Args.or(b[1], null));
        } else if (!a.positional().isEmpty()) {
            String name = Py.str(a.positional().getFirst());
            if (!exists(name)) {
                throw PyError.unsupported("filter '" + name + "'");
            }
            Args rest = new Args(a.positional().subList(1, a.positional().size()), a.keyword());
            f = item -> apply(name, item, rest);
        } else {
            throw PyError.runtime("map requires a filter argument");
        }
        List<Object> out = new ArrayList<>(items.size());
        for (Object item : items) {
            out.add(f.apply(item));
        }
        return out;
    }

    private static Object extreme(Object v, Args a, String name, int sign) {
        Object[] b = a.bind(name, "case_sensitive", "attribute");
        boolean caseSensitive = Py.truthy(Args.or(b[0], false));
        Function<Object, Object> key = b[1] == Args.MISSING || b[1] == null ? x -> x : attributeGetter(b[1], null);
        Object best = Args.MISSING;
        for (Object item : Py.iterate(v)) {
            if (best == Args.MISSING || sign * Py.compare(ignoreCase(key.apply(item), caseSensitive),
                    ignoreCase(key.apply(best), caseSensitive), sign > 0 ? ">" : "<") > 0) {
                best = item;
            }
        }
        return best == Args.MISSING ? Undefined.because("No aggregated item, sequence was empty.") : best;
    }

    /** select/reject ({@code byAttribute} false) and selectattr/rejectattr: keep items whose test result is {@code keep}. */
    private static Object select(Object v, Args a, boolean byAttribute, boolean keep) {
        List<Object> positional = a.positional();
        int skip = byAttribute ? 1 : 0;
        if (byAttribute && positional.isEmpty()) {
            throw PyError.type("selectattr/rejectattr need an attribute name");
        }
        Function<Object, Object> subject = byAttribute ? attributeGetter(positional.getFirst(), null) : x -> x;
        String test = positional.size() > skip ? Py.str(positional.get(skip)) : null;
        if (test != null && !Tests.exists(test)) {
            throw PyError.unsupported("test '" + test + "'");
        }
        Args testArgs = new Args(positional.size() > skip + 1 ? positional.subList(skip + 1, positional.size()) : List.of(),
                a.keyword());
        List<Object> out = new ArrayList<>();
        for (Object item : Py.iterate(v)) {
            Object s = subject.apply(item);
            boolean passed = test == null ? Py.truthy(s) : Tests.apply(test, s, testArgs);
            if (passed == keep) {
                out.add(item);
            }
        }
        return out;
    }

    private static Object round(Object v, Args a) {
        Object[] b = a.bind("round", "precision", "method");
        int precision = (int) Py.toLong(Args.or(b[0], 0L));
        String method = Py.str(Args.or(b[1], "common"));
        RoundingMode mode = switch (method) {
            // Python's round(): half to even on the exact binary value, which BigDecimal(double) holds.
            case "common" -> RoundingMode.HALF_EVEN;
            case "ceil" -> RoundingMode.CEILING;
            case "floor" -> RoundingMode.FLOOR;
            default -> throw PyError.runtime("method must be common, ceil or floor");
        };
        if (!Py.isNumber(v)) {
            throw PyError.type("type " + Py.typeName(v) + " doesn't define __round__ method");
        }
        double d = Py.toDouble(v);
        if (!Double.isFinite(d)) {
            return d;
        }
        return new BigDecimal(d).setScale(precision, mode).doubleValue();
    }

    private static Object sort(Object v, Args a) {
        Object[] b = a.bind("sort", "reverse", "case_sensitive", "attribute");
        boolean caseSensitive = Py.truthy(Args.or(b[1], false));
        Function<Object, Object> key = b[2] == Args.MISSING || b[2] == null ? x -> x : attributeGetter(b[2], null);
        List<Object> items = Py.iterate(v);
        Arithmetic.sort(items, x -> ignoreCase(key.apply(x), caseSensitive), Py.truthy(Args.or(b[0], false)));
        return items;
    }

    private static Object unique(Object v, Args a) {
        Object[] b = a.bind("unique", "case_sensitive", "attribute");
        boolean caseSensitive = Py.truthy(Args.or(b[0], false));
        Function<Object, Object> key = b[1] == Args.MISSING || b[1] == null ? x -> x : attributeGetter(b[1], null);
        List<Object> seen = new ArrayList<>();
        List<Object> out = new ArrayList<>();
        for (Object item : Py.iterate(v)) {
            Object k = ignoreCase(key.apply(item), caseSensitive);
            if (seen.stream().noneMatch(s -> Py.eq(s, k))) {
                seen.add(k);
                out.add(item);
            }
        }
        return out;
    }

    // transformers' signature: tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False).
    private static Object tojson(Object v, Args a) {
        Object[] b = a.bind("tojson", "ensure_ascii", "indent", "separators", "sort_keys");
        Object indent = Args.or(b[1], null);
        String indentText = indent == null ? null
                : indent instanceof String s ? s : " ".repeat((int) Math.max(0, Py.toLong(indent)));
        Object separators = Args.or(b[2], null);
        List<String> seps = null;
        if (separators != null) {
            List<Object> parts = Py.iterate(separators);
            if (parts.size() != 2) {
                throw PyError.value("separators must be an (item_separator, key_separator) pair");
            }
            seps = List.of(Py.str(parts.get(0)), Py.str(parts.get(1)));
        }
        return new PyJson(Py.truthy(Args.or(b[0], false)), indentText, seps, Py.truthy(Args.or(b[3], false))).dumps(v);
    }
}
