package io.nemotron4j.engine.chat.jinja;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code str} methods with Python's definitions: whitespace is what {@code str.isspace()} accepts (which
 * includes NBSP and U+0085, unlike {@link Character#isWhitespace}), and positions and lengths count code points,
 * not UTF-16 units.
 */
public final class PyStrings {

    private PyStrings() {
    }

    /** Whether Python's {@code str.isspace()} holds for this code point. */
    public static boolean isSpace(int cp) {
        return switch (cp) {
            case ' ', '\t', '\n', 0x0B, '\f', '\r', 0x1C, 0x1D, 0x1E, 0x1F, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F,
                    0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    /** {@code s.strip()}: removes Python whitespace at both ends. */
    public static String strip(String s) {
        return rstrip(lstrip(s, null), null);
    }

    /** {@code s.rstrip()}: removes Python whitespace at the end. */
    public static String rstrip(String s) {
        return rstrip(s, null);
    }

    /** {@code s.lstrip()}: removes Python whitespace at the start. */
    public static String lstrip(String s) {
        return lstrip(s, null);
    }

    /** {@code s.lstrip(chars)}; {@code chars == null} means whitespace. */
    static String lstrip(String s, String chars) {
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (!strippable(cp, chars)) {
                break;
            }
            i += Character.charCount(cp);
        }
        return s.substring(i);
    }

    /** {@code s.rstrip(chars)}; {@code chars == null} means whitespace. */
    static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0) {
            int cp = s.codePointBefore(end);
            if (!strippable(cp, chars)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return s.substring(0, end);
    }

    static String strip(String s, String chars) {
        return rstrip(lstrip(s, chars), chars);
    }

    private static boolean strippable(int cp, String chars) {
        return chars == null ? isSpace(cp) : chars.indexOf(cp) >= 0;
    }

    /** {@code s.split(sep, maxsplit)}; {@code sep == null} splits on whitespace runs and drops empty parts. */
    static List<Object> split(String s, String sep, long maxsplit) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            while (true) {
                while (i < s.length() && isSpace(s.codePointAt(i))) {
                    i += Character.charCount(s.codePointAt(i));
                }
                if (i >= s.length()) {
                    return out;
                }
                if (maxsplit >= 0 && out.size() == maxsplit) {
                    out.add(s.substring(i));
                    return out;
                }
                int start = i;
                while (i < s.length() && !isSpace(s.codePointAt(i))) {
                    i += Character.charCount(s.codePointAt(i));
                }
                out.add(s.substring(start, i));
            }
        }
        requireSeparator(sep);
        int start = 0;
        while (maxsplit < 0 || out.size() < maxsplit) {
            int at = s.indexOf(sep, start);
            if (at < 0) {
                break;
            }
            out.add(s.substring(start, at));
            start = at + sep.length();
        }
        out.add(s.substring(start));
        return out;
    }

    /** {@code s.rsplit(sep, maxsplit)}. */
    static List<Object> rsplit(String s, String sep, long maxsplit) {
        if (maxsplit < 0) {
            return split(s, sep, -1);
        }
        List<Object> reversed = new ArrayList<>();
        if (sep == null) {
            int end = s.length();
            while (true) {
                while (end > 0 && isSpace(s.codePointBefore(end))) {
                    end -= Character.charCount(s.codePointBefore(end));
                }
                if (end == 0) {
                    break;
                }
                if (reversed.size() == maxsplit) {
                    reversed.add(s.substring(0, end));
                    break;
                }
                int stop = end;
                while (end > 0 && !isSpace(s.codePointBefore(end))) {
                    end -= Character.charCount(s.codePointBefore(end));
                }
                reversed.add(s.substring(end, stop));
            }
        } else {
            requireSeparator(sep);
            int end = s.length();
            while (reversed.size() < maxsplit) {
                int at = s.lastIndexOf(sep, end - sep.length());
                if (at < 0) {
                    break;
                }
                reversed.add(s.substring(at + sep.length(), end));
                end = at;
            }
            reversed.add(s.substring(0, end));
        }
        return new ArrayList<>(reversed.reversed());
    }

    private static void requireSeparator(String sep) {
        if (sep.isEmpty()) {
            throw PyError.value("empty separator");
        }
    }

    /** {@code s.splitlines()}: splits on every line boundary Python knows and drops the boundaries. */
    static List<Object> splitlines(String s) {
        List<Object> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (isLineBoundary(c)) {
                out.add(s.substring(start, i));
                i += c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < s.length()) {
            out.add(s.substring(start));
        }
        return out;
    }

    private static boolean isLineBoundary(char c) {
        return switch (c) {
            case '\n', '\r', 0x0B, '\f', 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029 -> true;
            default -> false;
        };
    }

    /**
     * {@code s.replace(old, new, count)}; a negative count replaces all, and an empty {@code old} matches before,
     * between and after the characters.
     */
    static String replace(String s, String old, String replacement, long count) {
        if (old.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            long done = 0;
            int i = 0;
            while (true) {
                if (count < 0 || done < count) {
                    sb.append(replacement);
                    done++;
                }
                if (i >= s.length()) {
                    return sb.toString();
                }
                int cp = s.codePointAt(i);
                sb.appendCodePoint(cp);
                i += Character.charCount(cp);
            }
        }
        if (count < 0) {
            return s.replace(old, replacement);
        }
        StringBuilder sb = new StringBuilder();
        int start = 0;
        for (long done = 0; done < count; done++) {
            int at = s.indexOf(old, start);
            if (at < 0) {
                break;
            }
            sb.append(s, start, at).append(replacement);
            start = at + old.length();
        }
        return sb.append(s, start, s.length()).toString();
    }

    /** The number of code points, which is what Python's {@code len} counts. */
    static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** The code point index of a UTF-16 index, or -1 for -1. */
    static int codePointIndex(String s, int utf16Index) {
        return utf16Index < 0 ? -1 : s.codePointCount(0, utf16Index);
    }

    /** The UTF-16 index of a code point index in {@code [0, length]}. */
    static int utf16Index(String s, int codePointIndex) {
        return s.offsetByCodePoints(0, codePointIndex);
    }

    /** The code points of {@code s}, each as its own string. */
    static List<Object> characters(String s) {
        List<Object> out = new ArrayList<>();
        s.codePoints().forEach(cp -> out.add(Character.toString(cp)));
        return out;
    }

    /** {@code s.title()}: the first letter of each run of letters upper (title) case, the rest lower case. */
    static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean cased = Character.isLetter(cp);
            if (cased) {
                sb.append(previousCased ? Character.toString(cp).toLowerCase(java.util.Locale.ROOT)
                        : Character.toString(Character.toTitleCase(cp)));
            } else {
                sb.appendCodePoint(cp);
            }
            previousCased = cased;
        }
        return sb.toString();
    }

    /** {@code s.capitalize()}: the first character title case, the rest lower case. */
    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.codePointAt(0);
        return Character.toString(Character.toTitleCase(first))
                + s.substring(Character.charCount(first)).toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code s.isspace()}: non-empty and all whitespace. */
    static boolean isAllSpace(String s) {
        return !s.isEmpty() && s.codePoints().allMatch(PyStrings::isSpace);
    }
}
