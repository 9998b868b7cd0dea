package io.nemotron4j.engine.generate;

import java.util.List;

/**
 * Finds stop strings in streamed text, across token boundaries, without letting any part of one reach the
 * caller: text that could still turn into a stop string is held back until it cannot.
 */
final class StopStrings {

    private final List<String> stops;
    private final StringBuilder pending = new StringBuilder();
    private boolean stopped;

    StopStrings(List<String> stops) {
        this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
    }

    /** Adds generated text and returns what can be emitted now; after a match, the rest is dropped. */
    String push(String text) {
        if (stopped) {
            return "";
        }
        pending.append(text);
        int match = -1;
        for (String s : stops) {
            int at = pending.indexOf(s);
            if (at >= 0 && (match < 0 || at < match)) {
                match = at;
            }
        }
        if (match >= 0) {
            stopped = true;
            String out = pending.substring(0, match);
            pending.setLength(0);
            return out;
        }
        int keep = longestPrefixSuffix();
        String out = pending.substring(0, pending.length() - keep);
        pending.delete(0, pending.length() - keep);
        return out;
    }

    /** Releases what was held back, once generation has ended without a match. */
    String flush() {
        String out = stopped ? "" : pending.toString();
        pending.setLength(0);
        return out;
    }

    boolean stopped() {
        return stopped;
    }

    /** Length of the longest tail of the pending text that begins some stop string. */
    private int longestPrefixSuffix() {
        int best = 0;
        for (String s : stops) {
            for (int len = Math.min(s.length() - 1, pending.length()); len > best; len--) {
                if (tailStartsWith(pending, len, s)) {
                    best = len;
                    break;
                }
            }
        }
        return best;
    }

    /** Whether the last {@code len} chars of {@code text} equal the first {@code len} of {@code s}. */
    static boolean tailStartsWith(CharSequence text, int len, String s) {
        int from = text.length() - len;
        for (int i = 0; i < len; i++) {
            if (text.charAt(from + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
