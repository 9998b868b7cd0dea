package io.nemotron4j.engine.chat.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders a parsed template: runs statements into a buffer and evaluates expressions with Jinja2's semantics. */
final class Interpreter {

    private enum Signal { NORMAL, BREAK, CONTINUE }

    private final Map<String, Object> globals;

    Interpreter(Map<String, Object> globals) {
        this.globals = globals;
    }

    String render(List<Node> body, Scope scope) {
        StringBuilder out = new StringBuilder();
        exec(body, scope, out);
        return out.toString();
    }

    private Signal exec(List<Node> nodes, Scope scope, StringBuilder out) {
        for (Node node : nodes) {
            Signal signal;
            try {
                signal = exec(node, scope, out);
            } catch (PyError e) {
                throw new JinjaException(e.getMessage(), node.line());
            }
            if (signal != Signal.NORMAL) {
                return signal;
            }
        }
        return Signal.NORMAL;
    }

    private Signal exec(Node node, Scope scope, StringBuilder out) {
        switch (node) {
            case Node.Text t -> out.append(t.text());
            case Node.Print p -> out.append(Py.str(eval(p.expr(), scope)));
            case Node.If i -> {
                for (int b = 0; b < i.tests().size(); b++) {
                    if (Py.truthy(eval(i.tests().get(b), scope))) {
                        return exec(i.bodies().get(b), scope, out);
                    }
                }
                return exec(i.otherwise(), scope, out);
            }
            case Node.For f -> {
                return loop(f, scope, out);
            }
            case Node.Set s -> assign(s.target(), eval(s.value(), scope), scope);
            case Node.SetBlock s -> scope.set(s.name(), render(s.body(), new Scope(scope)));
            case Node.Macro m -> scope.set(m.name(), new Macro(m, scope, this));
            case Node.With w -> {
                Scope inner = new Scope(scope);
                for (int k = 0; k < w.names().size(); k++) {
                    inner.set(w.names().get(k), eval(w.values().get(k), scope));
                }
                return exec(w.body(), inner, out);
            }
            case Node.Block b -> {
                return exec(b.body(), scope, out);
            }
            case Node.Break b -> {
                return Signal.BREAK;
            }
            case Node.Continue c -> {
                return Signal.CONTINUE;
            }
        }
        return Signal.NORMAL;
    }

    private Signal loop(Node.For f, Scope scope, StringBuilder out) {
        List<Object> items = Py.iterate(eval(f.iterable(), scope));
        if (f.filter() != null) {
            List<Object> kept = new ArrayList<>();
            for (Object item : items) {
                Scope probe = new Scope(scope);
                assign(f.target(), item, probe);
                if (Py.truthy(eval(f.filter(), probe))) {
                    kept.add(item);
                }
            }
            items = kept;
        }
        if (items.isEmpty()) {
            return exec(f.otherwise(), scope, out);
        }
        LoopContext loop = new LoopContext(items);
        for (int i = 0; i < items.size(); i++) {
            Scope iteration = new Scope(scope);
            assign(f.target(), items.get(i), iteration);
            loop.moveTo(i);
            iteration.set("loop", loop);
            if (exec(f.body(), iteration, out) == Signal.BREAK) {
                break;
            }
        }
        return Signal.NORMAL;
    }

    private void assign(Node.Target target, Object value, Scope scope) {
        switch (target) {
            case Node.NameTarget n -> scope.set(n.name(), value);
            case Node.TupleTarget t -> {
                List<Object> values = Py.iterate(value);
                if (values.size() != t.names().size()) {
                    throw PyError.value(values.size() < t.names().size()
                            ? "not enough values to unpack (expected " + t.names().size() + ", got " + values.size() + ")"
                            : "too many values to unpack (expected " + t.names().size() + ")");
                }
                for (int i = 0; i < values.size(); i++) {
                    scope.set(t.names().get(i), values.get(i));
                }
            }
            case Node.NamespaceTarget n -> {
                if (!(scope.lookup(n.namespace()) instanceof Namespace ns)) {
                    throw PyError.runtime("cannot assign attribute on non-namespace object");
                }
                ns.set(n.attribute(), value);
            }
        }
    }

    Object eval(Expr expr, Scope scope) {
        try {
            return evaluate(expr, scope);
        } catch (PyError e) {
            throw new JinjaException(e.getMessage(), expr.line());
        }
    }

    private Object evaluate(Expr expr, Scope scope) {
        return switch (expr) {
            case Expr.Const c -> c.value();
            case Expr.Name n -> lookup(n.name(), scope);
            case Expr.ListLiteral l -> evalAll(l.items(), scope);
            case Expr.TupleLiteral t -> new PyTuple(evalAll(t.items(), scope));
            case Expr.DictLiteral d -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < d.keys().size(); i++) {
                    Object key = eval(d.keys().get(i), scope);
                    if (key instanceof List<?> || key instanceof Map<?, ?> || key instanceof Undefined) {
                        throw PyError.type("unhashable type: '" + Py.typeName(key) + "'");
                    }
                    Py.put(map, key, eval(d.values().get(i), scope));
                }
                yield map;
            }
            case Expr.Attribute a -> Access.attribute(eval(a.object(), scope), a.name());
            case Expr.Item i -> Access.item(eval(i.object(), scope), eval(i.key(), scope));
            case Expr.Slice s -> Access.slice(eval(s.object(), scope), evalOrNull(s.start(), scope),
                    evalOrNull(s.stop(), scope), evalOrNull(s.step(), scope));
            case Expr.Call c -> call(eval(c.callee(), scope), arguments(c.args(), c.kwargs(), scope));
            case Expr.Filter f -> Filters.apply(f.name(), eval(f.value(), scope), arguments(f.args(), f.kwargs(), scope));
            case Expr.Test t -> Tests.apply(t.name(), eval(t.value(), scope), arguments(t.args(), t.kwargs(), scope))
                    != t.negated();
            case Expr.Unary u -> {
                Object v = eval(u.operand(), scope);
                yield u.op().equals("not") ? !Py.truthy(v) : Arithmetic.unary(u.op(), v);
            }
            case Expr.Binary b -> binary(b, scope);
            case Expr.Compare c -> {
                Object left = eval(c.first(), scope);
                for (int i = 0; i < c.ops().size(); i++) {
                    Object right = eval(c.operands().get(i), scope);
                    if (!Arithmetic.compare(c.ops().get(i), left, right)) {
                        yield false;
                    }
                    left = right;
                }
                yield true;
            }
            case Expr.Conditional c -> {
                if (Py.truthy(eval(c.test(), scope))) {
                    yield eval(c.then(), scope);
                }
                yield c.otherwise() == null
                        ? Undefined.because("the inline if-expression on line " + c.line()
                                + " evaluated to false and no else section was defined.")
                        : eval(c.otherwise(), scope);
            }
        };
    }

    private Object lookup(String name, Scope scope) {
        Object v = scope.lookup(name);
        if (v != Scope.ABSENT) {
            return v;
        }
        return globals.containsKey(name) ? globals.get(name) : Undefined.name(name);
    }

    private Object binary(Expr.Binary b, Scope scope) {
        Object left = eval(b.left(), scope);
        return switch (b.op()) {
            case "and" -> Py.truthy(left) ? eval(b.right(), scope) : left;
            case "or" -> Py.truthy(left) ? left : eval(b.right(), scope);
            case "~" -> Py.str(left) + Py.str(eval(b.right(), scope));
            default -> Arithmetic.binary(b.op(), left, eval(b.right(), scope));
        };
    }

    private List<Object> evalAll(List<Expr> exprs, Scope scope) {
        List<Object> out = new ArrayList<>(exprs.size());
        for (Expr e : exprs) {
            out.add(eval(e, scope));
        }
        return out;
    }

    private Object evalOrNull(Expr e, Scope scope) {
        return e == null ? null : eval(e, scope);
    }

    private Args arguments(List<Expr> args, Map<String, Expr> kwargs, Scope scope) {
        if (args.isEmpty() && kwargs.isEmpty()) {
            return Args.NONE;
        }
        Map<String, Object> keyword = new LinkedHashMap<>();
        kwargs.forEach((k, v) -> keyword.put(k, eval(v, scope)));
        return new Args(evalAll(args, scope), keyword);
    }

    static Object call(Object callee, Args args) {
        return switch (callee) {
            case Undefined u -> throw u.error();
            case JinjaCallable c -> c.call(args);
            case null, default -> throw PyError.type("'" + Py.typeName(callee) + "' object is not callable");
        };
    }
}
