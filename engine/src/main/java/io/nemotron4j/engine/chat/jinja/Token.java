package io.nemotron4j.engine.chat.jinja;

/**
 * One lexical token.
 *
 * @param kind what it is
 * @param text the source text (operators, names), or the decoded text of a string literal or of template data
 * @param value the parsed number of an integer or float literal, else {@code null}
 * @param line the 1-based line it starts on
 */
record Token(Kind kind, String text, Object value, int line) {

    enum Kind { DATA, VARIABLE_BEGIN, VARIABLE_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, EOF }

    boolean is(Kind k) {
        return kind == k;
    }

    boolean isOperator(String op) {
        return kind == Kind.OPERATOR && text.equals(op);
    }

    boolean isName(String name) {
        return kind == Kind.NAME && text.equals(name);
    }

    /** How the token reads in an error message, quoted as Jinja2 quotes it. */
    String describe() {
        return "'" + switch (kind) {
            case EOF -> "end of template";
            case VARIABLE_BEGIN -> "begin of print statement";
            case VARIABLE_END -> "end of print statement";
            case BLOCK_BEGIN -> "begin of statement block";
            case BLOCK_END -> "end of statement block";
            case DATA -> "template data / text";
            case STRING -> "string";
            default -> text;
        } + "'";
    }
}
