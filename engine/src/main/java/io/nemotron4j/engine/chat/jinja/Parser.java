package io.nemotron4j.engine.chat.jinja;

import io.nemotron4j.engine.chat.jinja.Token.Kind;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the syntax tree with Jinja2's grammar and precedence: conditional expression, {@code or}, {@code and},
 * {@code not}, comparisons and {@code in}, {@code + -}, {@code ~}, {@code * / // %}, {@code **}, unary sign, then
 * postfix access, filters and tests (which bind tighter than any operator: {@code a ~ b | trim} trims {@code b}).
 * Unknown filters, tests and tags fail here, naming the construct and its line, before anything renders.
 */
final class Parser {

    /** Jinja2 tags this interpreter does not implement; they get a clearer message than an unknown tag. */
    private static final Set<String> UNSUPPORTED_TAGS = Set.of(
            "extends", "block", "include", "import", "from", "call", "filter", "autoescape", "do", "trans");

    private final List<Token> tokens;
    private int at;
    private int loopDepth;
    // Names read inside each macro being parsed, to know whether it takes extra positional or keyword arguments.
    private final Deque<Set<String>> macroNames = new ArrayDeque<>();

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static List<Node> parse(String source) {
        Parser parser = new Parser(Lexer.tokenize(source));
        return parser.subparse(List.of(), "");
    }

    // ---- statements

    /**
     * Parses nodes until a block tag named in {@code endTags} (whose name token is then current) or, when
     * {@code endTags} is empty, until the end of the template.
     */
    private List<Node> subparse(List<String> endTags, String block) {
        List<Node> body = new ArrayList<>();
        while (true) {
            Token t = peek();
            switch (t.kind()) {
                case DATA -> {
                    next();
                    body.add(new Node.Text(t.text(), t.line()));
                }
                case VARIABLE_BEGIN -> {
                    next();
                    Expr e = tuple(true, Set.of(), false);
                    expect(Kind.VARIABLE_END);
                    body.add(new Node.Print(e, t.line()));
                }
                case BLOCK_BEGIN -> {
                    next();
                    Token name = peek();
                    if (name.is(Kind.NAME) && endTags.contains(name.text())) {
                        return body;
                    }
                    body.add(statement());
                }
                case EOF -> {
                    if (!endTags.isEmpty()) {
                        throw syntax(t, "Unexpected end of template. Jinja was looking for the following tags: "
                                + describe(endTags) + ". The innermost block that needs to be closed is '" + block + "'.");
                    }
                    return body;
                }
                default -> throw syntax(t, "unexpected " + t.describe());
            }
        }
    }

    private static String describe(List<String> tags) {
        return tags.stream().map(s -> "'" + s + "'").reduce((a, b) -> a + " or " + b).orElse("");
    }

    private Node statement() {
        Token t = peek();
        if (!t.is(Kind.NAME)) {
            throw syntax(t, "tag name expected");
        }
        next();
        return switch (t.text()) {
            case "if" -> ifStatement(t);
            case "for" -> forStatement(t);
            case "set" -> setStatement(t);
            case "macro" -> macro(t);
            case "with" -> with(t);
            case "print" -> {
                Expr e = tuple(true, Set.of(), false);
                expect(Kind.BLOCK_END);
                yield new Node.Print(e, t.line());
            }
            case "generation" -> {
                expect(Kind.BLOCK_END);
                List<Node> body = subparse(List.of("endgeneration"), "generation");
                endTag();
                yield new Node.Block(body, t.line());
            }
            case "break", "continue" -> {
                if (loopDepth == 0) {
                    throw syntax(t, "'" + t.text() + "' outside of a loop");
                }
                expect(Kind.BLOCK_END);
                yield t.text().equals("break") ? new Node.Break(t.line()) : new Node.Continue(t.line());
            }
            default -> throw UNSUPPORTED_TAGS.contains(t.text())
                    ? new JinjaException("unsupported tag '" + t.text() + "'", t.line())
                    : syntax(t, "unknown tag '" + t.text() + "'");
        };
    }

    /** Consumes the current end tag's name and the block end. */
    private void endTag() {
        next();
        expect(Kind.BLOCK_END);
    }

    private Node ifStatement(Token start) {
        List<Expr> tests = new ArrayList<>();
        List<List<Node>> bodies = new ArrayList<>();
        List<String> ends = List.of("elif", "else", "endif");
        tests.add(tuple(false, Set.of(), false));
        expect(Kind.BLOCK_END);
        bodies.add(subparse(ends, "if"));
        while (true) {
            String tag = next().text();
            if (tag.equals("elif")) {
                tests.add(tuple(false, Set.of(), false));
                expect(Kind.BLOCK_END);
                bodies.add(subparse(ends, "if"));
            } else if (tag.equals("else")) {
                expect(Kind.BLOCK_END);
                List<Node> otherwise = subparse(List.of("endif"), "if");
                endTag();
                return new Node.If(tests, bodies, otherwise, start.line());
            } else {
                expect(Kind.BLOCK_END);
                return new Node.If(tests, bodies, List.of(), start.line());
            }
        }
    }

    private Node forStatement(Token start) {
        Node.Target target = target(Set.of("in"));
        if (target instanceof Node.NamespaceTarget) {
            throw syntax(start, "can't assign to a namespace attribute in a for loop");
        }
        expectName("in");
        Expr iterable = tuple(false, Set.of("recursive"), false);
        Expr filter = skipName("if") ? expression(true) : null;
        if (peek().isName("recursive")) {
            throw new JinjaException("unsupported recursive for loop", peek().line());
        }
        expect(Kind.BLOCK_END);
        loopDepth++;
        List<Node> body = subparse(List.of("endfor", "else"), "for");
        loopDepth--;
        List<Node> otherwise = List.of();
        if (next().text().equals("else")) {
            expect(Kind.BLOCK_END);
            otherwise = subparse(List.of("endfor"), "for");
            next();
        }
        expect(Kind.BLOCK_END);
        return new Node.For(target, iterable, filter, body, otherwise, start.line());
    }

    private Node setStatement(Token start) {
        Node.Target target = target(Set.of());
        if (skipOperator("=")) {
            Expr value = tuple(true, Set.of(), false);
            expect(Kind.BLOCK_END);
            return new Node.Set(target, value, start.line());
        }
        if (peek().isOperator("|")) {
            throw new JinjaException("unsupported filtered set block", start.line());
        }
        if (!(target instanceof Node.NameTarget(String name))) {
            throw syntax(start, "a set block assigns to one name");
        }
        expect(Kind.BLOCK_END);
        List<Node> body = subparse(List.of("endset"), "set");
        endTag();
        return new Node.SetBlock(name, body, start.line());
    }

    /** {@code name}, {@code a, b} or {@code ns.attr}, as {@code set} and {@code for} accept. */
    private Node.Target target(Set<String> extraEnd) {
        if (peek().is(Kind.NAME) && peek(1).isOperator(".") && peek(2).is(Kind.NAME)) {
            String ns = next().text();
            next();
            return new Node.NamespaceTarget(ns, next().text());
        }
        List<String> names = new ArrayList<>();
        boolean tuple = false;
        while (true) {
            if (!names.isEmpty()) {
                expectOperator(",");
            }
            if (isTupleEnd(extraEnd) || peek().isOperator("=")) {
                break;
            }
            Token t = peek();
            if (!t.is(Kind.NAME) || Set.of("true", "false", "none", "True", "False", "None").contains(t.text())) {
                throw syntax(t, "can't assign to " + t.describe());
            }
            names.add(next().text());
            if (!peek().isOperator(",")) {
                break;
            }
            tuple = true;
        }
        if (names.isEmpty()) {
            throw syntax(peek(), "expected a name to assign to, got " + peek().describe());
        }
        return tuple ? new Node.TupleTarget(names) : new Node.NameTarget(names.getFirst());
    }

    private Node macro(Token start) {
        String name = expectName().text();
        expectOperator("(");
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        while (!peek().isOperator(")")) {
            if (!params.isEmpty()) {
                expectOperator(",");
                if (peek().isOperator(")")) {
                    break;
                }
            }
            Token param = expectName();
            params.add(param.text());
            if (skipOperator("=")) {
                defaults.add(expression(true));
            } else if (defaults.stream().anyMatch(d -> d != null)) {
                throw syntax(param, "non-default argument follows default argument");
            } else {
                defaults.add(null);
            }
        }
        next();
        expect(Kind.BLOCK_END);
        macroNames.push(new HashSet<>());
        int outerLoops = loopDepth;
        loopDepth = 0;
        List<Node> body = subparse(List.of("endmacro"), "macro");
        loopDepth = outerLoops;
        Set<String> used = macroNames.pop();
        endTag();
        return new Node.Macro(name, params, defaults, body, used.contains("varargs"), used.contains("kwargs"), start.line());
    }

    private Node with(Token start) {
        List<String> names = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (!peek().is(Kind.BLOCK_END)) {
            if (!names.isEmpty()) {
                expectOperator(",");
            }
            names.add(expectName().text());
            expectOperator("=");
            values.add(expression(true));
        }
        next();
        List<Node> body = subparse(List.of("endwith"), "with");
        endTag();
        return new Node.With(names, values, body, start.line());
    }

    // ---- expressions

    /** Comma-separated expressions; more than one (or a trailing comma) makes a tuple. */
    private Expr tuple(boolean condexpr, Set<String> extraEnd, boolean explicitParentheses) {
        int line = peek().line();
        List<Expr> items = new ArrayList<>();
        boolean isTuple = false;
        while (true) {
            if (!items.isEmpty()) {
                expectOperator(",");
            }
            if (isTupleEnd(extraEnd)) {
                break;
            }
            items.add(expression(condexpr));
            if (!peek().isOperator(",")) {
                break;
            }
            isTuple = true;
        }
        if (!isTuple) {
            if (!items.isEmpty()) {
                return items.getFirst();
            }
            if (!explicitParentheses) {
                throw syntax(peek(), "Expected an expression, got " + peek().describe());
            }
        }
        return new Expr.TupleLiteral(items, line);
    }

    private boolean isTupleEnd(Set<String> extraEnd) {
        Token t = peek();
        return t.is(Kind.VARIABLE_END) || t.is(Kind.BLOCK_END) || t.isOperator(")")
                || (t.is(Kind.NAME) && extraEnd.contains(t.text()));
    }

    private Expr expression(boolean condexpr) {
        return condexpr ? conditional() : or();
    }

    private Expr conditional() {
        Expr e = or();
        while (peek().isName("if")) {
            int line = next().line();
            Expr test = or();
            Expr otherwise = skipName("else") ? conditional() : null;
            e = new Expr.Conditional(test, e, otherwise, line);
        }
        return e;
    }

    private Expr or() {
        Expr e = and();
        while (skipName("or")) {
            e = new Expr.Binary("or", e, and(), e.line());
        }
        return e;
    }

    private Expr and() {
        Expr e = not();
        while (skipName("and")) {
            e = new Expr.Binary("and", e, not(), e.line());
        }
        return e;
    }

    private Expr not() {
        if (peek().isName("not")) {
            int line = next().line();
            return new Expr.Unary("not", not(), line);
        }
        return compare();
    }

    private Expr compare() {
        Expr first = math1();
        List<String> ops = new ArrayList<>();
        List<Expr> operands = new ArrayList<>();
        while (true) {
            Token t = peek();
            String op;
            if (t.is(Kind.OPERATOR) && Set.of("==", "!=", "<", "<=", ">", ">=").contains(t.text())) {
                op = t.text();
                next();
            } else if (t.isName("in")) {
                op = "in";
                next();
            } else if (t.isName("not") && peek(1).isName("in")) {
                op = "not in";
                next();
                next();
            } else {
                break;
            }
            ops.add(op);
            operands.add(math1());
        }
        return ops.isEmpty() ? first : new Expr.Compare(first, ops, operands, first.line());
    }

    private Expr math1() {
        Expr e = concat();
        while (peek().isOperator("+") || peek().isOperator("-")) {
            String op = next().text();
            e = new Expr.Binary(op, e, concat(), e.line());
        }
        return e;
    }

    private Expr concat() {
        Expr e = math2();
        while (skipOperator("~")) {
            e = new Expr.Binary("~", e, math2(), e.line());
        }
        return e;
    }

    private Expr math2() {
        Expr e = pow();
        while (peek().is(Kind.OPERATOR) && Set.of("*", "/", "//", "%").contains(peek().text())) {
            String op = next().text();
            e = new Expr.Binary(op, e, pow(), e.line());
        }
        return e;
    }

    // Left-associative, as in Jinja2 (unlike Python): 2 ** 3 ** 2 is 64.
    private Expr pow() {
        Expr e = unary(true);
        while (skipOperator("**")) {
            e = new Expr.Binary("**", e, unary(true), e.line());
        }
        return e;
    }

    private Expr unary(boolean withFilter) {
        Token t = peek();
        Expr e;
        if (t.isOperator("-") || t.isOperator("+")) {
            next();
            e = new Expr.Unary(t.text(), unary(false), t.line());
        } else {
            e = primary();
        }
        e = postfix(e);
        return withFilter ? filters(e) : e;
    }

    private Expr primary() {
        Token t = next();
        switch (t.kind()) {
            case NAME -> {
                return switch (t.text()) {
                    case "true", "True" -> new Expr.Const(Boolean.TRUE, t.line());
                    case "false", "False" -> new Expr.Const(Boolean.FALSE, t.line());
                    case "none", "None" -> new Expr.Const(null, t.line());
                    default -> {
                        if (!macroNames.isEmpty()) {
                            macroNames.peek().add(t.text());
                        }
                        yield new Expr.Name(t.text(), t.line());
                    }
                };
            }
            case STRING -> {
                StringBuilder sb = new StringBuilder(t.text());
                while (peek().is(Kind.STRING)) {
                    sb.append(next().text());
                }
                return new Expr.Const(sb.toString(), t.line());
            }
            case INTEGER, FLOAT -> {
                return new Expr.Const(t.value(), t.line());
            }
            case OPERATOR -> {
                switch (t.text()) {
                    case "(" -> {
                        Expr e = tuple(true, Set.of(), true);
                        expectOperator(")");
                        return e;
                    }
                    case "[" -> {
                        List<Expr> items = new ArrayList<>();
                        while (!peek().isOperator("]")) {
                            if (!items.isEmpty()) {
                                expectOperator(",");
                                if (peek().isOperator("]")) {
                                    break;
                                }
                            }
                            items.add(expression(true));
                        }
                        next();
                        return new Expr.ListLiteral(items, t.line());
                    }
                    case "{" -> {
                        List<Expr> keys = new ArrayList<>();
                        List<Expr> values = new ArrayList<>();
                        while (!peek().isOperator("}")) {
                            if (!keys.isEmpty()) {
                                expectOperator(",");
                                if (peek().isOperator("}")) {
                                    break;
                                }
                            }
                            keys.add(expression(true));
                            expectOperator(":");
                            values.add(expression(true));
                        }
                        next();
                        return new Expr.DictLiteral(keys, values, t.line());
                    }
                    default -> throw syntax(t, "unexpected " + t.describe());
                }
            }
            default -> throw syntax(t, "unexpected " + t.describe());
        }
    }

    private Expr postfix(Expr e) {
        while (true) {
            Token t = peek();
            if (t.isOperator(".") || t.isOperator("[")) {
                e = subscript(e);
            } else if (t.isOperator("(")) {
                e = call(e);
            } else {
                return e;
            }
        }
    }

    private Expr filters(Expr e) {
        while (true) {
            Token t = peek();
            if (t.isOperator("|")) {
                next();
                e = filter(e);
            } else if (t.isName("is")) {
                next();
                e = test(e, t.line());
            } else if (t.isOperator("(")) {
                e = call(e);
            } else {
                return e;
            }
        }
    }

    private Expr subscript(Expr object) {
        Token t = next();
        if (t.isOperator(".")) {
            Token attr = next();
            if (attr.is(Kind.NAME)) {
                return new Expr.Attribute(object, attr.text(), t.line());
            }
            if (attr.is(Kind.INTEGER)) {
                return new Expr.Item(object, new Expr.Const(attr.value(), attr.line()), t.line());
            }
            throw syntax(attr, "expected name or number after '.'");
        }
        List<Expr> keys = new ArrayList<>();
        while (!peek().isOperator("]")) {
            if (!keys.isEmpty()) {
                expectOperator(",");
                if (peek().isOperator("]")) {
                    break;
                }
            }
            keys.add(subscribed(object, t.line()));
        }
        expectOperator("]");
        if (keys.isEmpty()) {
            throw syntax(t, "expected a subscript");
        }
        if (keys.size() == 1) {
            return keys.getFirst() instanceof Expr.Slice s ? s : new Expr.Item(object, keys.getFirst(), t.line());
        }
        if (keys.stream().anyMatch(k -> k instanceof Expr.Slice)) {
            throw new JinjaException("unsupported multi-dimensional slice", t.line());
        }
        return new Expr.Item(object, new Expr.TupleLiteral(keys, t.line()), t.line());
    }

    /** One subscript: an expression, or a slice {@code start:stop:step} over {@code object}. */
    private Expr subscribed(Expr object, int line) {
        Expr start = null;
        if (!peek().isOperator(":")) {
            start = expression(true);
            if (!peek().isOperator(":")) {
                return start;
            }
        }
        next();
        Expr stop = peek().isOperator("]") || peek().isOperator(",") || peek().isOperator(":") ? null : expression(true);
        Expr step = null;
        if (skipOperator(":") && !peek().isOperator("]") && !peek().isOperator(",")) {
            step = expression(true);
        }
        return new Expr.Slice(object, start, stop, step, line);
    }

    private Expr call(Expr callee) {
        Token open = next();
        List<Expr> args = new ArrayList<>();
        Map<String, Expr> kwargs = new LinkedHashMap<>();
        arguments(args, kwargs);
        return new Expr.Call(callee, args, kwargs, open.line());
    }

    /** The arguments after {@code (}, through the closing {@code )}. */
    private void arguments(List<Expr> args, Map<String, Expr> kwargs) {
        boolean first = true;
        while (!peek().isOperator(")")) {
            if (!first) {
                expectOperator(",");
                if (peek().isOperator(")")) {
                    break;
                }
            }
            first = false;
            Token t = peek();
            if (t.isOperator("*") || t.isOperator("**")) {
                throw new JinjaException("unsupported " + t.text() + "-argument in a call", t.line());
            }
            if (t.is(Kind.NAME) && peek(1).isOperator("=")) {
                next();
                next();
                if (kwargs.put(t.text(), expression(true)) != null) {
                    throw syntax(t, "keyword argument repeated: " + t.text());
                }
            } else {
                if (!kwargs.isEmpty()) {
                    throw syntax(t, "positional argument follows keyword argument");
                }
                args.add(expression(true));
            }
        }
        next();
    }

    private Expr filter(Expr value) {
        Token t = expectName();
        String name = dottedName(t);
        if (!Filters.exists(name)) {
            throw new JinjaException("unsupported filter '" + name + "'", t.line());
        }
        List<Expr> args = new ArrayList<>();
        Map<String, Expr> kwargs = new LinkedHashMap<>();
        if (skipOperator("(")) {
            arguments(args, kwargs);
        }
        return new Expr.Filter(value, name, args, kwargs, t.line());
    }

    private Expr test(Expr value, int line) {
        boolean negated = skipName("not");
        Token t = expectName();
        String name = dottedName(t);
        if (!Tests.exists(name)) {
            throw new JinjaException("unsupported test '" + name + "'", t.line());
        }
        List<Expr> args = new ArrayList<>();
        Map<String, Expr> kwargs = new LinkedHashMap<>();
        Token n = peek();
        if (n.isOperator("(")) {
            next();
            arguments(args, kwargs);
        } else if ((n.is(Kind.NAME) || n.is(Kind.STRING) || n.is(Kind.INTEGER) || n.is(Kind.FLOAT)
                || n.isOperator("[") || n.isOperator("{"))
                && !(n.isName("else") || n.isName("or") || n.isName("and"))) {
            if (n.isName("is")) {
                throw syntax(n, "You cannot chain multiple tests with is");
            }
            args.add(postfix(primary()));
        }
        return new Expr.Test(value, name, args, kwargs, negated, line);
    }

    private String dottedName(Token first) {
        StringBuilder name = new StringBuilder(first.text());
        while (peek().isOperator(".") && peek(1).is(Kind.NAME)) {
            next();
            name.append('.').append(next().text());
        }
        return name.toString();
    }

    // ---- token stream

    private Token peek() {
        return tokens.get(at);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(at + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(at);
        if (!t.is(Kind.EOF)) {
            at++;
        }
        return t;
    }

    private void expect(Kind kind) {
        Token t = peek();
        if (!t.is(kind)) {
            String wanted = switch (kind) {
                case BLOCK_END -> "end of statement block";
                case VARIABLE_END -> "end of print statement";
                default -> kind.name().toLowerCase(java.util.Locale.ROOT);
            };
            throw syntax(t, "expected " + wanted + ", got " + t.describe());
        }
        next();
    }

    private Token expectName() {
        Token t = peek();
        if (!t.is(Kind.NAME)) {
            throw syntax(t, "expected a name, got " + t.describe());
        }
        return next();
    }

    private void expectName(String name) {
        if (!peek().isName(name)) {
            throw syntax(peek(), "expected '" + name + "', got " + peek().describe());
        }
        next();
    }

    private void expectOperator(String op) {
        if (!peek().isOperator(op)) {
            throw syntax(peek(), "expected '" + op + "', got " + peek().describe());
        }
        next();
    }

    private boolean skipOperator(String op) {
        if (peek().isOperator(op)) {
            next();
            return true;
        }
        return false;
    }

    private boolean skipName(String name) {
        if (peek().isName(name)) {
            next();
            return true;
        }
        return false;
    }

    private static JinjaException syntax(Token at, String message) {
        return new JinjaException("TemplateSyntaxError: " + message, at.line());
    }
}
