package io.nemotron4j.engine.chat.jinja;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The functions a chat template can call without being given them: Jinja2's {@code range}, {@code namespace} and
 * {@code dict}, and the two {@code transformers} adds, {@code raise_exception(message)} and {@code strftime_now(format)}.
 */
final class Globals {

    // Jinja2's sandbox refuses larger ranges (MAX_RANGE).
    private static final long MAX_RANGE = 100_000;

    private Globals() {
    }

    static Map<String, Object> standard(Supplier<ZonedDateTime> clock) {
        Map<String, Object> g = new HashMap<>();
        g.put("range", (JinjaCallable) Globals::range);
        g.put("namespace", (JinjaCallable) args -> new Namespace(dict(args, "namespace")));
        g.put("dict", (JinjaCallable) args -> dict(args, "dict"));
        g.put("raise_exception", (JinjaCallable) args -> {
            throw new PyError(Py.str(args.bindRequired("raise_exception", 1, "message")[0]));
        });
        g.put("strftime_now", (JinjaCallable) args ->
                strftime(Py.str(args.bindRequired("strftime_now", 1, "format")[0]), clock.get()));
        return g;
    }

    private static Object range(Args args) {
        if (!args.keyword().isEmpty()) {
            throw PyError.type("range() takes no keyword arguments");
        }
        List<Object> p = args.positional();
        if (p.isEmpty() || p.size() > 3 || !p.stream().allMatch(Py::isIntegral)) {
            throw PyError.type("range() expects 1 to 3 integer arguments");
        }
        long start = p.size() == 1 ? 0 : Py.toLong(p.get(0));
        long stop = Py.toLong(p.get(p.size() == 1 ? 0 : 1));
        long step = p.size() == 3 ? Py.toLong(p.get(2)) : 1;
        if (step == 0) {
            throw PyError.value("range() arg 3 must not be zero");
        }
        List<Object> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            if (out.size() >= MAX_RANGE) {
                throw new PyError("OverflowError: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
            }
            out.add(i);
        }
        return out;
    }

    // dict(mapping_or_pairs, **kwargs), which namespace() accepts too.
    private static Map<String, Object> dict(Args args, String name) {
        if (args.positional().size() > 1) {
            throw PyError.type(name + "() expected at most 1 positional argument, got " + args.positional().size());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (!args.positional().isEmpty()) {
            Object source = args.positional().getFirst();
            if (source instanceof Map<?, ?> m) {
                m.forEach((k, v) -> out.put(Py.str(k), v));
            } else {
                for (Object pair : Py.iterate(source)) {
                    List<Object> kv = Py.iterate(pair);
                    if (kv.size() != 2) {
                        throw PyError.value("dictionary update sequence element has length " + kv.size() + "; 2 is required");
                    }
                    out.put(Py.str(kv.get(0)), kv.get(1));
                }
            }
        }
        out.putAll(args.keyword());
        return out;
    }

    /** Python's {@code strftime} directives in the C locale; unknown directives stay as written, as glibc leaves them. */
    static String strftime(String format, ZonedDateTime t) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                sb.append(c);
                continue;
            }
            boolean pad = true;
            char d = format.charAt(++i);
            if (d == '-' && i + 1 < format.length()) {
                pad = false;
                d = format.charAt(++i);
            }
            int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
            String out = switch (d) {
                case 'a' -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
                case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
                case 'b', 'h' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
                case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
                case 'd' -> number(t.getDayOfMonth(), 2, pad);
                case 'e' -> pad ? String.format("%2d", t.getDayOfMonth()) : Integer.toString(t.getDayOfMonth());
                case 'H' -> number(t.getHour(), 2, pad);
                case 'I' -> number(hour12, 2, pad);
                case 'j' -> number(t.getDayOfYear(), 3, pad);
                case 'm' -> number(t.getMonthValue(), 2, pad);
                case 'M' -> number(t.getMinute(), 2, pad);
                case 'S' -> number(t.getSecond(), 2, pad);
                case 'p' -> t.getHour() < 12 ? "AM" : "PM";
                case 'y' -> number(t.getYear() % 100, 2, pad);
                case 'Y' -> Integer.toString(t.getYear());
                case 'Z' -> t.getZone().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
                case 'z' -> t.getOffset().getId().equals("Z") ? "+0000" : t.getOffset().getId().replace(":", "");
                case '%' -> "%";
                default -> "%" + (pad ? "" : "-") + d;
            };
            sb.append(out);
        }
        return sb.toString();
    }

    private static String number(int value, int width, boolean pad) {
        return pad ? String.format("%0" + width + "d", value) : Integer.toString(value);
    }
}
