package io.nemotron4j.engine.chat.jinja;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Copies JSON-like Java values into the representation the interpreter works on. */
final class Values {

    private Values() {
    }

    /**
     * A deep copy in which integers become {@link Long} (or {@link Double} beyond 64 bits), other numbers
     * {@link Double}, maps ordered {@link LinkedHashMap}s and collections or arrays lists.
     *
     * @throws IllegalArgumentException for a value that has no template equivalent
     */
    static Object normalize(Object v) {
        return switch (v) {
            case null -> null;
            case String s -> s;
            case CharSequence s -> s.toString();
            case Character c -> c.toString();
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case BigInteger i -> i.bitLength() < 64 ? (Object) i.longValue() : (Object) i.doubleValue();
            // Through its decimal text, so 0.1f stays 0.1 rather than 0.10000000149011612.
            case Float f -> Double.parseDouble(f.toString());
            case Double d -> d;
            case BigDecimal d -> d.doubleValue();
            case Map<?, ?> m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                m.forEach((k, x) -> out.put(normalize(k), normalize(x)));
                yield out;
            }
            case Iterable<?> it -> {
                List<Object> out = new ArrayList<>();
                it.forEach(x -> out.add(normalize(x)));
                yield out;
            }
            case Object[] a -> normalize(Arrays.asList(a));
            default -> throw new IllegalArgumentException("a template cannot use a value of type " + v.getClass().getName()
                    + "; pass null, Boolean, Number, String, Map or List");
        };
    }
}
