package io.nemotron4j.engine.chat.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A macro defined by {@code {% macro %}}: calling it renders its body in a fresh scope whose parent is the scope it
 * was defined in, with parameters bound as Jinja2 binds them (missing ones undefined or their default; extra ones in
 * {@code varargs}/{@code kwargs} only when the body reads those names).
 */
final class Macro implements JinjaCallable {

    private final Node.Macro definition;
    private final Scope closure;
    private final Interpreter interpreter;

    Macro(Node.Macro definition, Scope closure, Interpreter interpreter) {
        this.definition = definition;
        this.closure = closure;
        this.interpreter = interpreter;
    }

    @Override
    public Object call(Args args) {
        String name = definition.name();
        List<String> params = definition.params();
        List<Object> positional = args.positional();
        if (positional.size() > params.size() && !definition.catchVarargs()) {
            throw PyError.type("macro " + Py.repr(name) + " takes not more than " + params.size() + " argument(s)");
        }
        Map<String, Object> keyword = new LinkedHashMap<>(args.keyword());
        Scope scope = new Scope(closure);
        for (int i = 0; i < params.size(); i++) {
            String param = params.get(i);
            Object value;
            if (i < positional.size()) {
                if (keyword.containsKey(param)) {
                    throw PyError.type("macro " + Py.repr(name) + " got multiple values for argument " + Py.repr(param));
                }
                value = positional.get(i);
            } else if (keyword.containsKey(param)) {
                value = keyword.remove(param);
            } else if (definition.defaults().get(i) != null) {
                value = interpreter.eval(definition.defaults().get(i), scope);
            } else {
                value = Undefined.because("parameter " + Py.repr(param) + " was not provided");
            }
            scope.set(param, value);
        }
        if (!keyword.isEmpty() && !definition.catchKwargs()) {
            throw PyError.type("macro " + Py.repr(name) + " takes no keyword argument "
                    + Py.repr(keyword.keySet().iterator().next()));
        }
        if (definition.catchVarargs()) {
            scope.set("varargs", new PyTuple(positional.size() > params.size()
                    ? positional.subList(params.size(), positional.size()) : new ArrayList<>()));
        }
        if (definition.catchKwargs()) {
            scope.set("kwargs", keyword);
        }
        return interpreter.render(definition.body(), scope);
    }

    @Override
    public String toString() {
        return "<Macro " + Py.repr(definition.name()) + ">";
    }
}
