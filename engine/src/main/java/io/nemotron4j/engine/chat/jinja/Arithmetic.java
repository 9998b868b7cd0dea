package io.nemotron4j.engine.chat.jinja;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Python's arithmetic and comparison operators, with CPython's type errors. */
final class Arithmetic {

    private Arithmetic() {
    }

    static Object unary(String op, Object v) {
        if (v instanceof Undefined u) {
            throw u.error();
        }
        if (!Py.isNumber(v)) {
            throw PyError.type("bad operand type for unary " + op + ": '" + Py.typeName(v) + "'");
        }
        if (v instanceof Double d) {
            return op.equals("+") ? d : -d;
        }
        long x = Py.toLong(v);
        return op.equals("+") ? x : exact(() -> Math.negateExact(x));
    }

    static Object binary(String op, Object a, Object b) {
        if (a instanceof Undefined u) {
            throw u.error();
        }
        if (b instanceof Undefined u) {
            throw u.error();
        }
        if (Py.isNumber(a) && Py.isNumber(b)) {
            return numeric(op, a, b);
        }
        switch (op) {
            case "+" -> {
                if (a instanceof String s && b instanceof String t) {
                    return s + t;
                }
                if (a instanceof List<?> l && b instanceof List<?> m && (a instanceof PyTuple) == (b instanceof PyTuple)) {
                    List<Object> out = new ArrayList<>(l);
                    out.addAll(m);
                    return a instanceof PyTuple ? new PyTuple(out) : out;
                }
                if (a instanceof String || a instanceof List<?>) {
                    throw PyError.type("can only concatenate " + Py.typeName(a) + " (not \"" + Py.typeName(b) + "\") to "
                            + Py.typeName(a));
                }
            }
            case "*" -> {
                if ((a instanceof String || a instanceof List<?>) && Py.isIntegral(b)) {
                    return repeat(a, Py.toLong(b));
                }
                if (Py.isIntegral(a) && (b instanceof String || b instanceof List<?>)) {
                    return repeat(b, Py.toLong(a));
                }
                if (a instanceof String || a instanceof List<?> || b instanceof String || b instanceof List<?>) {
                    Object other = a instanceof String || a instanceof List<?> ? b : a;
                    throw PyError.type("can't multiply sequence by non-int of type '" + Py.typeName(other) + "'");
                }
            }
            case "%" -> {
                if (a instanceof String) {
                    throw PyError.unsupported("printf-style string formatting ('...' % value)");
                }
            }
            default -> {
            }
        }
        throw PyError.type("unsupported operand type(s) for " + op + ": '" + Py.typeName(a) + "' and '" + Py.typeName(b) + "'");
    }

    private static Object repeat(Object seq, long times) {
        if (seq instanceof String s) {
            return times <= 0 ? "" : s.repeat(Math.toIntExact(times));
        }
        List<Object> out = new ArrayList<>();
        for (long i = 0; i < times; i++) {
            out.addAll((List<?>) seq);
        }
        return seq instanceof PyTuple ? new PyTuple(out) : out;
    }

    private static Object numeric(String op, Object a, Object b) {
        if (Py.isIntegral(a) && Py.isIntegral(b) && !op.equals("/")) {
            long x = Py.toLong(a);
            long y = Py.toLong(b);
            return switch (op) {
                case "+" -> exact(() -> Math.addExact(x, y));
                case "-" -> exact(() -> Math.subtractExact(x, y));
                case "*" -> exact(() -> Math.multiplyExact(x, y));
                case "//" -> Math.floorDiv(x, nonZero(y, "integer division or modulo by zero"));
                case "%" -> Math.floorMod(x, nonZero(y, "integer modulo by zero"));
                case "**" -> y >= 0 ? (Object) power(x, y) : (Object) Math.pow(x, y);
                default -> throw new IllegalStateException(op);
            };
        }
        double x = Py.toDouble(a);
        double y = Py.toDouble(b);
        return switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            case "/" -> x / nonZero(y, Py.isIntegral(a) && Py.isIntegral(b) ? "division by zero" : "float division by zero");
            case "//" -> Math.floor(x / nonZero(y, "float floor division by zero"));
            case "%" -> {
                double r = x % nonZero(y, "float modulo");
                yield r != 0 && (r < 0) != (y < 0) ? r + y : r;
            }
            case "**" -> Math.pow(x, y);
            default -> throw new IllegalStateException(op);
        };
    }

    private static long nonZero(long y, String message) {
        if (y == 0) {
            throw new PyError("ZeroDivisionError: " + message);
        }
        return y;
    }

    private static double nonZero(double y, String message) {
        if (y == 0) {
            throw new PyError("ZeroDivisionError: " + message);
        }
        return y;
    }

    private static long power(long base, long exponent) {
        long result = 1;
        for (long i = 0; i < exponent; i++) {
            long r = result;
            result = exact(() -> Math.multiplyExact(r, base));
        }
        return result;
    }

    private static long exact(java.util.function.LongSupplier op) {
        try {
            return op.getAsLong();
        } catch (ArithmeticException e) {
            throw new PyError("OverflowError: integer result does not fit 64 bits");
        }
    }

    /** One comparison of a chain: {@code ==}, {@code !=}, ordering, {@code in}, {@code not in}. */
    static boolean compare(String op, Object a, Object b) {
        return switch (op) {
            case "==" -> Py.eq(a, b);
            case "!=" -> !Py.eq(a, b);
            case "<" -> Py.compare(a, b, op) < 0;
            case "<=" -> Py.compare(a, b, op) <= 0;
            case ">" -> Py.compare(a, b, op) > 0;
            case ">=" -> Py.compare(a, b, op) >= 0;
            case "in" -> Py.contains(b, a);
            case "not in" -> !Py.contains(b, a);
            default -> throw new IllegalStateException(op);
        };
    }

    /** Sorts with Python's ordering (a stable sort, as {@code sorted()} is). */
    static void sort(List<Object> items, java.util.function.Function<Object, Object> key, boolean reverse) {
        Comparator<Object> order = (x, y) -> Py.compare(key.apply(x), key.apply(y), "<");
        items.sort(reverse ? order.reversed() : order);
    }
}
