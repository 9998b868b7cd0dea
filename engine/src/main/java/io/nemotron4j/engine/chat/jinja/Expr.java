package io.nemotron4j.engine.chat.jinja;

import java.util.List;
import java.util.Map;

/** An expression of the template, with the line it starts on for error messages. */
sealed interface Expr {

    int line();

    record Const(Object value, int line) implements Expr {
    }

    record Name(String name, int line) implements Expr {
    }

    record ListLiteral(List<Expr> items, int line) implements Expr {
    }

    record TupleLiteral(List<Expr> items, int line) implements Expr {
    }

    record DictLiteral(List<Expr> keys, List<Expr> values, int line) implements Expr {
    }

    /** {@code obj.name}. */
    record Attribute(Expr object, String name, int line) implements Expr {
    }

    /** {@code obj[key]}. */
    record Item(Expr object, Expr key, int line) implements Expr {
    }

    /** {@code obj[start:stop:step]}; absent parts are {@code null}. */
    record Slice(Expr object, Expr start, Expr stop, Expr step, int line) implements Expr {
    }

    record Call(Expr callee, List<Expr> args, Map<String, Expr> kwargs, int line) implements Expr {
    }

    /** {@code value | name(args)}. */
    record Filter(Expr value, String name, List<Expr> args, Map<String, Expr> kwargs, int line) implements Expr {
    }

    /** {@code value is [not] name(args)}. */
    record Test(Expr value, String name, List<Expr> args, Map<String, Expr> kwargs, boolean negated, int line)
            implements Expr {
    }

    /** {@code -x}, {@code +x} or {@code not x}. */
    record Unary(String op, Expr operand, int line) implements Expr {
    }

    /** Arithmetic, {@code ~}, {@code and}, {@code or}. */
    record Binary(String op, Expr left, Expr right, int line) implements Expr {
    }

    /** A comparison chain {@code a < b <= c}; {@code ops} holds {@code ==}, {@code in}, {@code not in}, .... */
    record Compare(Expr first, List<String> ops, List<Expr> operands, int line) implements Expr {
    }

    /** {@code then if test else otherwise}; {@code otherwise} is {@code null} when the template gave none. */
    record Conditional(Expr test, Expr then, Expr otherwise, int line) implements Expr {
    }
}
