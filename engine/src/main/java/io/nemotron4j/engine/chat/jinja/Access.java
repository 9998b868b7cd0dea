package io.nemotron4j.engine.chat.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code obj.name}, {@code obj[key]} and {@code obj[a:b:c]} as Jinja2's sandbox resolves them: attribute syntax
 * looks for a method or attribute first and then an item, subscript syntax the other way round, and what is not
 * found is {@link Undefined} rather than an error.
 */
final class Access {

    private Access() {
    }

    static Object attribute(Object obj, String name) {
        return switch (obj) {
            case Undefined u -> throw u.error();
            case Map<?, ?> m -> {
                JinjaCallable method = Methods.of(m, name);
                if (method != null) {
                    yield method;
                }
                yield Py.hasKey(m, name) ? Py.getKey(m, name) : Undefined.member(m, name);
            }
            case Namespace n -> n.get(name);
            case LoopContext l -> l.attribute(name);
            case null -> Undefined.member(null, name);
            default -> {
                JinjaCallable method = Methods.of(obj, name);
                yield method != null ? method : Undefined.member(obj, name);
            }
        };
    }

    /** Python's {@code getattr} alone, without the item fallback: what the {@code attr} filter does. */
    static Object pythonAttribute(Object obj, String name) {
        return switch (obj) {
            case Undefined u -> throw u.error();
            case Namespace n -> n.get(name);
            case LoopContext l -> l.attribute(name);
            case null -> Undefined.member(null, name);
            default -> {
                JinjaCallable method = Methods.of(obj, name);
                yield method != null ? method : Undefined.member(obj, name);
            }
        };
    }

    static Object item(Object obj, Object key) {
        if (obj instanceof Undefined u) {
            throw u.error();
        }
        if (Py.isIntegral(key) && (obj instanceof List<?> || obj instanceof String)) {
            long index = Py.toLong(key);
            long size = Py.len(obj);
            if (index < 0) {
                index += size;
            }
            if (index < 0 || index >= size) {
                return Undefined.member(obj, key);
            }
            if (obj instanceof List<?> l) {
                return l.get((int) index);
            }
            String s = (String) obj;
            int start = PyStrings.utf16Index(s, (int) index);
            return Character.toString(s.codePointAt(start));
        }
        if (obj instanceof Map<?, ?> m) {
            if (Py.hasKey(m, key)) {
                return Py.getKey(m, key);
            }
            JinjaCallable method = key instanceof String name ? Methods.of(m, name) : null;
            return method != null ? method : Undefined.member(obj, key);
        }
        return key instanceof String name ? attribute(obj, name) : Undefined.member(obj, key);
    }

    static Object slice(Object obj, Object start, Object stop, Object step) {
        if (obj instanceof Undefined u) {
            throw u.error();
        }
        if (!(obj instanceof List<?> || obj instanceof String)) {
            return Undefined.because(Py.repr(Py.typeName(obj) + " object") + " is not sliceable");
        }
        int length = (int) Py.len(obj);
        long by = index(step, 1);
        if (by == 0) {
            throw PyError.value("slice step cannot be zero");
        }
        long lower = by > 0 ? 0 : -1;
        long upper = by > 0 ? length : length - 1;
        long from = bound(start, by > 0 ? lower : upper, length, lower, upper);
        long to = bound(stop, by > 0 ? upper : lower, length, lower, upper);
        List<Integer> picked = new ArrayList<>();
        for (long i = from; by > 0 ? i < to : i > to; i += by) {
            picked.add((int) i);
        }
        if (obj instanceof String s) {
            int[] cps = s.codePoints().toArray();
            StringBuilder sb = new StringBuilder();
            picked.forEach(i -> sb.appendCodePoint(cps[i]));
            return sb.toString();
        }
        List<?> list = (List<?>) obj;
        List<Object> out = new ArrayList<>(picked.size());
        picked.forEach(i -> out.add(list.get(i)));
        return obj instanceof PyTuple ? new PyTuple(out) : out;
    }

    private static long index(Object v, long absent) {
        if (v == null) {
            return absent;
        }
        if (!Py.isIntegral(v)) {
            throw PyError.type("slice indices must be integers or None or have an __index__ method");
        }
        return Py.toLong(v);
    }

    // CPython's slice.indices: negative positions count from the end, then clamp into [lower, upper].
    private static long bound(Object v, long absent, long length, long lower, long upper) {
        if (v == null) {
            return absent;
        }
        long i = index(v, absent);
        if (i < 0) {
            i += length;
            return Math.max(i, lower);
        }
        return Math.min(i, upper);
    }
}
