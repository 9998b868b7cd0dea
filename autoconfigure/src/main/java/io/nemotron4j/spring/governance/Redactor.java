package io.nemotron4j.spring.governance;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data and secrets in text for {@link ContentPolicy#REDACTED}. Each kind is replaced by a fixed tag,
 * in this order (earlier kinds are masked before later patterns could take parts of them):
 * <ol>
 * <li>{@code [API_KEY]}: Nemotron4j keys ({@code n4j_…}), and the common shapes of other services' keys:
 * {@code sk-…}/{@code sk_…}, GitHub tokens ({@code ghp_…}, {@code github_pat_…}), AWS access key ids
 * ({@code AKIA…}), Slack tokens ({@code xox?-…}) and the token after {@code Bearer};</li>
 * <li>{@code [EMAIL]}: e-mail addresses;</li>
 * <li>{@code [IP]}: IPv4 addresses and IPv6 addresses (full or {@code ::}-compressed);</li>
 * <li>{@code [NUMBER]}: runs of 13 or more digits, single spaces or dashes allowed between them (card numbers,
 * account numbers);</li>
 * <li>{@code [PHONE]}: 9 or more digits with an optional leading {@code +} or {@code 00} and up to two spaces, dots,
 * dashes, slashes or parentheses between them; an ISO date followed by a time is not a phone number.</li>
 * </ol>
 * It errs towards masking: a 13-digit timestamp becomes {@code [NUMBER]}. It does not find names, addresses or
 * secrets without a recognisable shape.
 *
 * @since 0.1.0
 */
public final class Redactor {

    // Each rule first asks whether the text can hold a match at all (a character or prefix it needs, enough digits):
    // a regular expression tries every position of the text, a plain search is far cheaper, and most prose has no
    // e-mail address, key or long number in it. Each pattern starts with a look-behind, so that a match is tried
    // only at the start of a run of the characters it may begin with: without one, a long word would be rescanned
    // from every position.
    private static final List<Rule> RULES = List.of(
            new Rule("[API_KEY]", Pattern.compile("(?<![\\w-])(?:n4j_[A-Za-z0-9_-]{8,}"
                    + "|sk[-_][A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"
                    + "|AKIA[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9-]{10,})"
                    + "|(?<=\\bBearer )[A-Za-z0-9._~+/=-]{16,}"),
                    containsAny("n4j_", "sk-", "sk_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "AKIA",
                            "xox", "Bearer ")),
            new Rule("[EMAIL]", Pattern.compile("(?<![A-Za-z0-9.!#$%&'*+/=?^_`{|}~-])"
                    + "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\\.[A-Za-z]{2,}"), containsAny("@")),
            new Rule("[IP]", Pattern.compile("(?<![\\w.])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}"
                    + "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?![\\w]|\\.\\d)"),
                    (text) -> text.indexOf('.') >= 0 && digits(text, 4)),
            new Rule("[IP]", Pattern.compile("(?<![\\w:.])[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(?![\\w:])"),
                    containsAny(":"), Redactor::isIpv6),
            new Rule("[NUMBER]", Pattern.compile("(?<![\\w+.-])\\d(?:[ -]?\\d){12,}(?![\\w-]|\\.\\d)"),
                    (text) -> digits(text, 13)),
            new Rule("[PHONE]", Pattern.compile(
                    "(?<![\\w+.:/-])(?:\\+|00)?\\(?\\d(?:[ .()/-]{0,2}\\d){8,}(?![\\w:-]|[.:/]\\d)"),
                    (text) -> digits(text, 9), (candidate) -> !candidate.matches("\\d{4}-\\d{2}-\\d{2}[ T].*")));

    private Redactor() {
    }

    /**
     * Masks what this class describes.
     * @param text the text
     * @return the text with each match replaced by its tag
     */
    public static String redact(String text) {
        String result = text;
        for (Rule rule : RULES) {
            result = rule.apply(result);
        }
        return result;
    }

    /** Whether a candidate of hex digits and colons is an IPv6 address (8 groups, or 1 to 7 around one "::"). */
    static boolean isIpv6(String candidate) {
        int compressed = candidate.indexOf("::");
        if (compressed >= 0 && candidate.indexOf("::", compressed + 1) >= 0) {
            return false;
        }
        String[] groups = candidate.split(":", -1);
        int named = 0;
        for (String group : groups) {
            if (group.isEmpty()) {
                // Only a "::" leaves groups empty.
                if (compressed < 0) {
                    return false;
                }
                continue;
            }
            if (group.length() > 4) {
                return false;
            }
            named++;
        }
        return (compressed >= 0) ? (named >= 1 && named <= 7) : named == 8;
    }

    private static Predicate<String> containsAny(String... needles) {
        return (text) -> {
            for (String needle : needles) {
                if (text.contains(needle)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static boolean digits(String text, int atLeast) {
        int found = 0;
        for (int i = 0; i < text.length() && found < atLeast; i++) {
            if (Character.isDigit(text.charAt(i))) {
                found++;
            }
        }
        return found >= atLeast;
    }

    /**
     * @param tag what replaces a match
     * @param pattern what a match looks like
     * @param worth whether a text can hold a match at all (a cheap test before the pattern's scan)
     * @param accept whether a match of the pattern really is what the tag says
     */
    private record Rule(String tag, Pattern pattern, Predicate<String> worth, Predicate<String> accept) {

        Rule(String tag, Pattern pattern, Predicate<String> worth) {
            this(tag, pattern, worth, (candidate) -> true);
        }

        String apply(String text) {
            if (!this.worth.test(text)) {
                return text;
            }
            Matcher matcher = this.pattern.matcher(text);
            StringBuilder out = new StringBuilder(text.length());
            while (matcher.find()) {
                matcher.appendReplacement(out,
                        Matcher.quoteReplacement(this.accept.test(matcher.group()) ? this.tag : matcher.group()));
            }
            matcher.appendTail(out);
            return out.toString();
        }

    }

}
