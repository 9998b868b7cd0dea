package io.nemotron4j.engine.chat.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Python methods templates call on strings, dicts and lists ({@code content.strip()}, {@code d.get(k)}, ...).
 * Methods that would mutate a value are refused as Jinja2's immutable sandbox refuses them; real Python methods
 * this interpreter lacks fail with a message naming them instead of passing as undefined.
 */
final class Methods {

    private static final Set<String> STR_METHODS = Set.of(
            "capitalize", "casefold", "center", "count", "encode", "endswith", "expandtabs", "find", "format",
            "format_map", "index", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier", "islower",
            "isnumeric", "isprintable", "isspace", "istitle", "isupper", "join", "ljust", "lower", "lstrip",
            "maketrans", "partition", "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust",
            "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title",
            "translate", "upper", "zfill");
    private static final Set<String> DICT_MUTATORS = Set.of("clear", "pop", "popitem", "setdefault", "update");
    private static final Set<String> LIST_MUTATORS = Set.of("append", "clear", "extend", "insert", "pop", "remove",
            "reverse", "sort");

    private Methods() {
    }

    /** The bound method {@code receiver.name}, or {@code null} if the receiver's type has no such method. */
    static JinjaCallable of(Object receiver, String name) {
        return switch (receiver) {
            case String s -> ofString(s, name);
            case Map<?, ?> m -> ofDict(m, name);
            case List<?> l when !(l instanceof PyTuple) -> ofList(l, name);
            case null, default -> null;
        };
    }

    private static JinjaCallable ofDict(Map<?, ?> m, String name) {
        if (DICT_MUTATORS.contains(name)) {
            throw unsafe(name, "dict");
        }
        return switch (name) {
            case "get" -> args -> {
                Object[] a = args.bindRequired("get", 1, "key", "default");
                return Py.hasKey(m, a[0]) ? Py.getKey(m, a[0]) : Args.or(a[1], null);
            };
            case "items" -> args -> {
                args.bind("items");
                List<Object> out = new ArrayList<>();
                m.forEach((k, v) -> out.add(PyTuple.of(k, v)));
                return out;
            };
            case "keys" -> args -> {
                args.bind("keys");
                return new ArrayList<Object>(m.keySet());
            };
            case "values" -> args -> {
                args.bind("values");
                return new ArrayList<Object>(m.values());
            };
            case "copy" -> args -> {
                args.bind("copy");
                return new LinkedHashMap<Object, Object>(m);
            };
            default -> null;
        };
    }

    private static JinjaCallable ofList(List<?> l, String name) {
        if (LIST_MUTATORS.contains(name)) {
            throw unsafe(name, "list");
        }
        return switch (name) {
            case "count" -> args -> {
                Object x = args.bindRequired("count", 1, "value")[0];
                return l.stream().filter(o -> Py.eq(o, x)).count();
            };
            case "index" -> args -> {
                Object x = args.bindRequired("index", 1, "value")[0];
                for (int i = 0; i < l.size(); i++) {
                    if (Py.eq(l.get(i), x)) {
                        return (long) i;
                    }
                }
                throw PyError.value(Py.repr(x) + " is not in list");
            };
            case "copy" -> args -> {
                args.bind("copy");
                return new ArrayList<Object>(l);
            };
            default -> null;
        };
    }

    private static PyError unsafe(String name, String type) {
        return new PyError("SecurityError: access to attribute " + Py.repr(name) + " of " + Py.repr(type)
                + " object is unsafe.");
    }

    private static JinjaCallable ofString(String s, String name) {
        return switch (name) {
            case "strip", "lstrip", "rstrip" -> args -> {
                Object chars = Args.or(args.bind(name, "chars")[0], null);
                String set = chars == null ? null : string(chars, name);
                return switch (name) {
                    case "strip" -> PyStrings.strip(s, set);
                    case "lstrip" -> PyStrings.lstrip(s, set);
                    default -> PyStrings.rstrip(s, set);
                };
            };
            case "split", "rsplit" -> args -> {
                Object[] a = args.bind(name, "sep", "maxsplit");
                Object sep = Args.or(a[0], null);
                long max = Py.toLong(integer(Args.or(a[1], -1L), name));
                String separator = sep == null ? null : string(sep, name);
                return name.equals("split") ? PyStrings.split(s, separator, max) : PyStrings.rsplit(s, separator, max);
            };
            case "splitlines" -> args -> {
                if (Py.truthy(Args.or(args.bind(name, "keepends")[0], false))) {
                    throw PyError.unsupported("splitlines(keepends=True)");
                }
                return PyStrings.splitlines(s);
            };
            case "replace" -> args -> {
                Object[] a = args.bindRequired(name, 2, "old", "new", "count");
                long count = Py.toLong(integer(Args.or(a[2], -1L), name));
                return PyStrings.replace(s, string(a[0], name), string(a[1], name), count);
            };
            case "startswith", "endswith" -> args -> {
                Object[] a = args.bindRequired(name, 1, "prefix", "start", "end");
                String part = (String) Access.slice(s, Args.or(a[1], null), Args.or(a[2], null), null);
                List<Object> options = a[0] instanceof PyTuple t ? t : List.of(a[0]);
                for (Object o : options) {
                    String affix = string(o, name);
                    if (name.equals("startswith") ? part.startsWith(affix) : part.endsWith(affix)) {
                        return true;
                    }
                }
                return false;
            };
            case "find", "rfind", "index", "rindex", "count" -> args -> search(s, name, args);
            case "join" -> args -> {
                List<Object> items = Py.iterate(args.bindRequired(name, 1, "iterable")[0]);
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < items.size(); i++) {
                    if (!(items.get(i) instanceof String item)) {
                        throw PyError.type("sequence item " + i + ": expected str instance, "
                                + Py.typeName(items.get(i)) + " found");
                    }
                    sb.append(i == 0 ? "" : s).append(item);
                }
                return sb.toString();
            };
            case "lower", "casefold" -> noArgs(name, () -> s.toLowerCase(Locale.ROOT));
            case "upper" -> noArgs(name, () -> s.toUpperCase(Locale.ROOT));
            case "title" -> noArgs(name, () -> PyStrings.title(s));
            case "capitalize" -> noArgs(name, () -> PyStrings.capitalize(s));
            case "isspace" -> noArgs(name, () -> PyStrings.isAllSpace(s));
            case "isdigit", "isdecimal", "isnumeric" ->
                    noArgs(name, () -> !s.isEmpty() && s.codePoints().allMatch(Character::isDigit));
            case "isalpha" -> noArgs(name, () -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetter));
            case "isalnum" -> noArgs(name, () -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit));
            case "islower" -> noArgs(name, () -> hasCased(s) && s.equals(s.toLowerCase(Locale.ROOT)));
            case "isupper" -> noArgs(name, () -> hasCased(s) && s.equals(s.toUpperCase(Locale.ROOT)));
            case "removeprefix" -> args -> {
                String p = string(args.bindRequired(name, 1, "prefix")[0], name);
                return s.startsWith(p) ? s.substring(p.length()) : s;
            };
            case "removesuffix" -> args -> {
                String p = string(args.bindRequired(name, 1, "suffix")[0], name);
                return s.endsWith(p) && !p.isEmpty() ? s.substring(0, s.length() - p.length()) : s;
            };
            default -> {
                if (STR_METHODS.contains(name)) {
                    throw PyError.unsupported("string method '" + name + "'");
                }
                yield null;
            }
        };
    }

    private static boolean hasCased(String s) {
        return s.codePoints().anyMatch(cp -> Character.isUpperCase(cp) || Character.isLowerCase(cp));
    }

    private static JinjaCallable noArgs(String name, java.util.function.Supplier<Object> body) {
        return args -> {
            args.bind(name);
            return body.get();
        };
    }

    // find/rfind/index/rindex/count over s[start:end], with positions in code points of the whole string.
    private static Object search(String s, String name, Args args) {
        Object[] a = args.bindRequired(name, 1, "sub", "start", "end");
        String sub = string(a[0], name);
        int length = PyStrings.length(s);
        int from = clamp(Args.or(a[1], null), 0, length);
        int to = clamp(Args.or(a[2], null), length, length);
        String window = from <= to ? s.substring(PyStrings.utf16Index(s, from), PyStrings.utf16Index(s, to)) : null;
        if (name.equals("count")) {
            if (window == null) {
                return 0L;
            }
            if (sub.isEmpty()) {
                return (long) PyStrings.length(window) + 1;
            }
            long n = 0;
            for (int i = window.indexOf(sub); i >= 0; i = window.indexOf(sub, i + sub.length())) {
                n++;
            }
            return n;
        }
        boolean reverse = name.startsWith("r");
        int found = window == null ? -1 : reverse ? window.lastIndexOf(sub) : window.indexOf(sub);
        if (found < 0) {
            if (name.endsWith("index")) {
                throw PyError.value("substring not found");
            }
            return -1L;
        }
        return (long) from + PyStrings.codePointIndex(window, found);
    }

    private static int clamp(Object v, int absent, int length) {
        if (v == null) {
            return absent;
        }
        long i = Py.toLong(integer(v, "slice"));
        if (i < 0) {
            i = Math.max(0, i + length);
        }
        return (int) Math.min(i, length);
    }

    private static String string(Object v, String method) {
        if (!(v instanceof String s)) {
            throw PyError.type(method + "() argument must be str, not " + Py.typeName(v));
        }
        return s;
    }

    private static Object integer(Object v, String method) {
        if (!Py.isIntegral(v)) {
            throw PyError.type(method + "() argument must be int, not " + Py.typeName(v));
        }
        return v;
    }
}
