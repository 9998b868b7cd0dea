package io.nemotron4j.engine.chat.jinja;

/** Decodes the backslash escapes of a template string literal as Python's {@code unicode-escape} codec does. */
final class StringEscapes {

    private StringEscapes() {
    }

    /**
     * Decodes {@code \\ \' \" \a \b \f \n \r \t \v}, octal {@code \ooo}, {@code \xhh}, the 4- and 8-digit
     * {@code u} and {@code U} escapes, {@code \N{NAME}} and a backslash before a newline (which disappears); any other backslash
     * stays as it is.
     *
     * @throws IllegalArgumentException for a truncated or invalid escape, with Python's wording
     */
    static String decode(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c != '\\' || i >= s.length()) {
                sb.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case '\n' -> { }
                case '\\', '\'', '"' -> sb.append(e);
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'v' -> sb.append('\u000B');
                case 'x' -> i = hex(s, i, 2, "\\xXX", sb);
                case 'u' -> i = hex(s, i, 4, "\\uXXXX", sb);
                case 'U' -> i = hex(s, i, 8, "\\UXXXXXXXX", sb);
                case 'N' -> i = named(s, i, sb);
                default -> {
                    if (e >= '0' && e <= '7') {
                        int end = i - 1;
                        while (end < s.length() && end < i + 2 && s.charAt(end) >= '0' && s.charAt(end) <= '7') {
                            end++;
                        }
                        sb.appendCodePoint(Integer.parseInt(s.substring(i - 1, end), 8));
                        i = end;
                    } else {
                        sb.append('\\').append(e);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static int hex(String s, int i, int digits, String form, StringBuilder sb) {
        if (i + digits > s.length()) {
            throw new IllegalArgumentException("truncated " + form + " escape");
        }
        int cp;
        try {
            cp = Integer.parseUnsignedInt(s.substring(i, i + digits), 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("truncated " + form + " escape");
        }
        if (!Character.isValidCodePoint(cp)) {
            throw new IllegalArgumentException("illegal Unicode character");
        }
        sb.appendCodePoint(cp);
        return i + digits;
    }

    private static int named(String s, int i, StringBuilder sb) {
        int close = s.indexOf('}', i);
        if (i >= s.length() || s.charAt(i) != '{' || close < 0) {
            throw new IllegalArgumentException("malformed \\N character escape");
        }
        try {
            sb.appendCodePoint(Character.codePointOf(s.substring(i + 1, close)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown Unicode character name");
        }
        return close + 1;
    }
}
