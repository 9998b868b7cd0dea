package io.nemotron4j.engine.chat.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps}, which {@code transformers} installs as the {@code tojson} filter in place of Jinja2's
 * own: non-ASCII kept (unless {@code ensure_ascii}), {@code ", "} and {@code ": "} separators (or {@code ","} with an
 * indent), key order kept, and no HTML escaping.
 */
final class PyJson {

    private final boolean ensureAscii;
    private final String indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;

    /**
     * @param indent {@code null} for one line, else the text repeated per nesting level
     * @param separators {@code null} for the defaults, else the item and key separators
     */
    PyJson(boolean ensureAscii, String indent, List<String> separators, boolean sortKeys) {
        this.ensureAscii = ensureAscii;
        this.indent = indent;
        this.itemSeparator = separators != null ? separators.get(0) : indent == null ? ", " : ",";
        this.keySeparator = separators != null ? separators.get(1) : ": ";
        this.sortKeys = sortKeys;
    }

    String dumps(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    private void write(StringBuilder sb, Object v, int level) {
        switch (v) {
            case null -> sb.append("null");
            case Boolean b -> sb.append(b);
            case Long l -> sb.append(l);
            case Double d -> sb.append(number(d));
            case String s -> string(sb, s);
            case List<?> l -> {
                if (l.isEmpty()) {
                    sb.append("[]");
                    return;
                }
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    sb.append(i == 0 ? "" : itemSeparator);
                    newline(sb, level + 1);
                    write(sb, l.get(i), level + 1);
                }
                newline(sb, level);
                sb.append(']');
            }
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    sb.append("{}");
                    return;
                }
                List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
                if (sortKeys) {
                    entries.sort((x, y) -> Py.compare(x.getKey(), y.getKey(), "<"));
                }
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : entries) {
                    sb.append(first ? "" : itemSeparator);
                    first = false;
                    newline(sb, level + 1);
                    string(sb, key(e.getKey()));
                    sb.append(keySeparator);
                    write(sb, e.getValue(), level + 1);
                }
                newline(sb, level);
                sb.append('}');
            }
            default -> throw PyError.type("Object of type " + Py.typeName(v) + " is not JSON serializable");
        }
    }

    private void newline(StringBuilder sb, int level) {
        if (indent != null) {
            sb.append('\n').append(indent.repeat(level));
        }
    }

    private static String number(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return Py.floatRepr(d);
    }

    private static String key(Object k) {
        return switch (k) {
            case String s -> s;
            case null -> "null";
            case Boolean b -> b.toString();
            case Long l -> l.toString();
            case Double d -> number(d);
            default -> throw PyError.type("keys must be str, int, float, bool or None, not " + Py.typeName(k));
        };
    }

    private void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    // UTF-16 units are exactly the \\u escapes Python writes, surrogate pairs included.
                    if (c < 0x20 || (ensureAscii && c > 0x7E)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
