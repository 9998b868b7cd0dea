package io.nemotron4j.engine.chat.jinja;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Splits a template into tokens the way Jinja2's lexer does with {@code trim_blocks=True, lstrip_blocks=True} (the
 * environment Hugging Face {@code transformers} renders chat templates in):
 * <ul>
 * <li>line ends are normalised to {@code \n} and one trailing newline of the source is dropped
 * ({@code keep_trailing_newline=False});</li>
 * <li>{@code {%-}, {@code {{-}, {@code {#-} remove all whitespace before the tag; {@code -%}}, {@code -}}},
 * {@code -#}} all whitespace after it;</li>
 * <li>trim_blocks removes the first newline after a block or comment tag ({@code +%}} keeps it);</li>
 * <li>lstrip_blocks removes the whitespace between the start of a line and a block or comment tag
 * ({@code {%+} keeps it), but not before {@code {{}.</li>
 * </ul>
 * Comments produce no tokens; {@code {% raw %}} blocks produce one data token.
 */
final class Lexer {

    private static final String[] OPERATORS = {
        "//", "**", "==", "!=", "<=", ">=",
        "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", "<", ">", "=", ".", ":", "|", ",", ";"};

    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int line = 1;
    // Whether the last tag end consumed a newline, so text that follows starts a line (for lstrip_blocks).
    private boolean lineStarting = true;

    private Lexer(String source) {
        String normalized = source.replace("\r\n", "\n").replace('\r', '\n');
        this.src = normalized.endsWith("\n") ? normalized.substring(0, normalized.length() - 1) : normalized;
    }

    static List<Token> tokenize(String source) {
        Lexer lexer = new Lexer(source);
        lexer.run();
        lexer.tokens.add(new Token(Token.Kind.EOF, "", null, lexer.line));
        return lexer.tokens;
    }

    private void run() {
        while (pos < src.length()) {
            int tag = nextTagStart(pos);
            if (tag < 0) {
                data(src.substring(pos), line);
                advance(src.length());
                return;
            }
            char kind = src.charAt(tag + 1);
            char sign = signAt(tag + 2);
            int rawBody = kind == '%' ? rawBodyStart(tag + 2) : -1;
            data(controlWhitespace(src.substring(pos, tag), sign, kind != '{'), line);
            advance(tag);
            int tagLine = line;
            advance(tag + 2 + (sign == 0 ? 0 : 1));
            if (rawBody >= 0) {
                advance(rawBody);
                lineStarting = src.charAt(rawBody - 1) == '\n';
                raw(tagLine);
            } else if (kind == '#') {
                comment(tagLine);
            } else {
                tag(kind == '%', tagLine);
            }
        }
    }

    private int nextTagStart(int from) {
        for (int i = src.indexOf('{', from); i >= 0 && i + 1 < src.length(); i = src.indexOf('{', i + 1)) {
            char c = src.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    private char signAt(int i) {
        return i < src.length() && (src.charAt(i) == '-' || src.charAt(i) == '+') ? src.charAt(i) : 0;
    }

    /** The text before a tag after whitespace control; {@code lstrip} is false before {@code {{}. */
    private String controlWhitespace(String text, char sign, boolean lstrip) {
        if (sign == '-') {
            return PyStrings.rstrip(text);
        }
        if (sign != '+' && lstrip) {
            int lineStart = text.lastIndexOf('\n') + 1;
            if ((lineStart > 0 || lineStarting) && lineStart < text.length()
                    && text.substring(lineStart).codePoints().allMatch(PyStrings::isSpace)) {
                return text.substring(0, lineStart);
            }
        }
        return text;
    }

    private void data(String text, int at) {
        if (!text.isEmpty()) {
            tokens.add(new Token(Token.Kind.DATA, text, null, at));
        }
    }

    private void advance(int to) {
        for (int i = pos; i < to; i++) {
            if (src.charAt(i) == '\n') {
                line++;
            }
        }
        pos = to;
    }

    private JinjaException error(String message) {
        return new JinjaException("TemplateSyntaxError: " + message, line);
    }

    // {% raw %}: returns where its body starts, or -1 if the block tag at 'from' is not a raw tag.
    private int rawBodyStart(int from) {
        int i = skipSpace(from + (signAt(from) == 0 ? 0 : 1));
        if (!src.startsWith("raw", i)) {
            return -1;
        }
        i = skipSpace(i + 3);
        if (src.startsWith("-%}", i)) {
            return skipSpace(i + 3);
        }
        return src.startsWith("%}", i) ? i + 2 : -1;
    }

    private void raw(int beginLine) {
        for (int i = src.indexOf("{%", pos); i >= 0; i = src.indexOf("{%", i + 1)) {
            char sign = signAt(i + 2);
            int j = skipSpace(i + 2 + (sign == 0 ? 0 : 1));
            if (!src.startsWith("endraw", j)) {
                continue;
            }
            int end = tagEnd(skipSpace(j + 6), "%}");
            if (end < 0) {
                continue;
            }
            data(controlWhitespace(src.substring(pos, i), sign, true), line);
            advance(end);
            return;
        }
        line = beginLine;
        throw error("Missing end of raw directive");
    }

    private void comment(int beginLine) {
        int i = src.indexOf("#}", pos);
        if (i < 0) {
            line = beginLine;
            throw error("Missing end of comment tag");
        }
        // The first "#}" ends the comment; a sign just before it belongs to the end tag.
        int start = i > pos && (src.charAt(i - 1) == '-' || src.charAt(i - 1) == '+') ? i - 1 : i;
        advance(tagEnd(start, "#}"));
    }

    /**
     * If a tag end ({@code +%}}, {@code -%}}, or {@code %}}, with {@code end} the closing text) starts at {@code i},
     * the position after it and the whitespace it trims; else -1. Records whether a newline was consumed.
     */
    private int tagEnd(int i, String end) {
        boolean variable = end.equals("}}");
        int after;
        if (!variable && src.startsWith("+" + end, i)) {
            after = i + 3;
        } else if (src.startsWith("-" + end, i)) {
            after = skipSpace(i + 3);
        } else if (src.startsWith(end, i)) {
            after = i + 2;
            if (!variable && after < src.length() && src.charAt(after) == '\n') {
                after++;
            }
        } else {
            return -1;
        }
        lineStarting = src.charAt(after - 1) == '\n';
        return after;
    }

    private int skipSpace(int i) {
        while (i < src.length() && PyStrings.isSpace(src.charAt(i))) {
            i++;
        }
        return i;
    }

    private void tag(boolean block, int beginLine) {
        tokens.add(new Token(block ? Token.Kind.BLOCK_BEGIN : Token.Kind.VARIABLE_BEGIN, block ? "{%" : "{{", null, beginLine));
        String end = block ? "%}" : "}}";
        Deque<Character> open = new ArrayDeque<>();
        while (true) {
            if (pos >= src.length()) {
                throw error("unexpected end of template, expected '" + end + "'");
            }
            if (open.isEmpty()) {
                int tokenLine = line;
                int after = tagEnd(pos, end);
                if (after >= 0) {
                    tokens.add(new Token(block ? Token.Kind.BLOCK_END : Token.Kind.VARIABLE_END, end, null, tokenLine));
                    advance(after);
                    return;
                }
            }
            char c = src.charAt(pos);
            if (PyStrings.isSpace(c)) {
                advance(pos + 1);
            } else if (c >= '0' && c <= '9') {
                number();
            } else if (c == '_' || Character.isUnicodeIdentifierStart(src.codePointAt(pos))) {
                name();
            } else if (c == '\'' || c == '"') {
                string(c);
            } else {
                operator(open);
            }
        }
    }

    private void name() {
        int start = pos;
        int i = pos;
        while (i < src.length()) {
            int cp = src.codePointAt(i);
            if (cp != '_' && !Character.isUnicodeIdentifierPart(cp)) {
                break;
            }
            i += Character.charCount(cp);
        }
        tokens.add(new Token(Token.Kind.NAME, src.substring(start, i), null, line));
        advance(i);
    }

    private void number() {
        int start = pos;
        if (src.charAt(pos) == '0' && pos + 2 < src.length() && "xXoObB".indexOf(src.charAt(pos + 1)) >= 0) {
            int radix = switch (Character.toLowerCase(src.charAt(pos + 1))) {
                case 'x' -> 16;
                case 'o' -> 8;
                default -> 2;
            };
            int end = digits(pos + 2, radix);
            if (end > pos + 2) {
                addNumber(Token.Kind.INTEGER, Long.parseLong(src.substring(pos + 2, end).replace("_", ""), radix), end);
                return;
            }
        }
        int end = digits(pos, 10);
        boolean isFloat = false;
        boolean afterDot = start > 0 && src.charAt(start - 1) == '.';
        if (!afterDot && end + 1 < src.length() && src.charAt(end) == '.' && isDigit(src.charAt(end + 1), 10)) {
            end = digits(end + 1, 10);
            isFloat = true;
        }
        int exponentEnd = afterDot ? -1 : exponent(end);
        if (exponentEnd > 0) {
            end = exponentEnd;
            isFloat = true;
        }
        String text = src.substring(start, end).replace("_", "");
        if (isFloat) {
            addNumber(Token.Kind.FLOAT, Double.parseDouble(text), end);
        } else {
            try {
                addNumber(Token.Kind.INTEGER, Long.parseLong(text), end);
            } catch (NumberFormatException e) {
                throw error("integer literal " + text + " does not fit 64 bits");
            }
        }
    }

    private int exponent(int i) {
        if (i >= src.length() || Character.toLowerCase(src.charAt(i)) != 'e') {
            return -1;
        }
        int j = i + 1;
        if (j < src.length() && (src.charAt(j) == '+' || src.charAt(j) == '-')) {
            j++;
        }
        return j < src.length() && isDigit(src.charAt(j), 10) ? digits(j, 10) : -1;
    }

    // Digits with single underscores between them, as Python's number literals allow.
    private int digits(int i, int radix) {
        int j = i;
        while (j < src.length()) {
            if (isDigit(src.charAt(j), radix)) {
                j++;
            } else if (src.charAt(j) == '_' && j > i && j + 1 < src.length() && isDigit(src.charAt(j + 1), radix)) {
                j++;
            } else {
                break;
            }
        }
        return j;
    }

    private static boolean isDigit(char c, int radix) {
        return Character.digit(c, radix) >= 0 && c < 128;
    }

    private void addNumber(Token.Kind kind, Object value, int end) {
        tokens.add(new Token(kind, src.substring(pos, end), value, line));
        advance(end);
    }

    private void string(char quote) {
        int i = pos + 1;
        while (i < src.length() && src.charAt(i) != quote) {
            i += src.charAt(i) == '\\' ? 2 : 1;
        }
        if (i >= src.length()) {
            throw error("unexpected char " + Py.repr(String.valueOf(quote)) + " (unterminated string)");
        }
        String decoded;
        try {
            decoded = StringEscapes.decode(src.substring(pos + 1, i));
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
        tokens.add(new Token(Token.Kind.STRING, decoded, null, line));
        advance(i + 1);
    }

    private void operator(Deque<Character> open) {
        for (String op : OPERATORS) {
            if (src.startsWith(op, pos)) {
                char c = op.charAt(0);
                if (op.length() == 1 && "([{".indexOf(c) >= 0) {
                    open.push(c == '(' ? ')' : c == '[' ? ']' : '}');
                } else if (op.length() == 1 && ")]}".indexOf(c) >= 0) {
                    if (open.isEmpty()) {
                        throw error("unexpected '" + op + "'");
                    }
                    char expected = open.pop();
                    if (expected != c) {
                        throw error("unexpected '" + op + "', expected '" + expected + "'");
                    }
                }
                tokens.add(new Token(Token.Kind.OPERATOR, op, null, line));
                advance(pos + op.length());
                return;
            }
        }
        throw error("unexpected char " + Py.repr(Character.toString(src.codePointAt(pos))));
    }
}
