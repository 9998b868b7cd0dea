package io.nemotron4j.engine.tokenizer;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Cuts text at literal occurrences of special tokens, the way llama.cpp does before pre-tokenizing: token by
 * token, longest text first (lower id first among equal lengths), every occurrence inside the text that no
 * earlier token claimed becomes that token. Matching is exact and case-sensitive, ignores word boundaries and
 * strips nothing around a match.
 */
final class SpecialTokenSplitter {

    /** Receives the fragments in text order. */
    interface Sink {
        /** Ordinary text {@code [start, end)}, never empty. */
        void text(int start, int end);

        /** A matched special token. */
        void special(int id);
    }

    private final String[] texts;
    private final int[] ids;

    /** Matches the vocabulary entries whose ids pass {@code include}. */
    SpecialTokenSplitter(String[] vocabulary, IntPredicate include) {
        this.ids = IntStream.range(0, vocabulary.length).filter(include).boxed()
                .sorted(Comparator.<Integer>comparingInt(id -> -vocabulary[id].length()).thenComparingInt(id -> id))
                .mapToInt(Integer::intValue).toArray();
        this.texts = Arrays.stream(ids).mapToObj(id -> vocabulary[id]).toArray(String[]::new);
    }

    void split(String text, Sink sink) {
        // Fragments as (id, start, end) triples; id -1 marks text not yet claimed by a special token.
        IntList fragments = new IntList();
        if (!text.isEmpty()) {
            addFragment(fragments, -1, 0, text.length());
        }
        for (int k = 0; k < ids.length; k++) {
            if (text.contains(texts[k])) {
                fragments = cut(text, fragments, texts[k], ids[k]);
            }
        }
        for (int i = 0; i < fragments.size(); i += 3) {
            if (fragments.get(i) < 0) {
                sink.text(fragments.get(i + 1), fragments.get(i + 2));
            } else {
                sink.special(fragments.get(i));
            }
        }
    }

    private static IntList cut(String text, IntList fragments, String special, int id) {
        IntList out = new IntList();
        int at = text.indexOf(special);
        for (int i = 0; i < fragments.size(); i += 3) {
            int start = fragments.get(i + 1);
            int end = fragments.get(i + 2);
            if (fragments.get(i) >= 0) {
                addFragment(out, fragments.get(i), start, end);
                continue;
            }
            int from = start;
            if (at >= 0 && at < from) {
                at = text.indexOf(special, from);
            }
            while (at >= 0 && at + special.length() <= end) {
                if (at > from) {
                    addFragment(out, -1, from, at);
                }
                addFragment(out, id, at, at + special.length());
                from = at + special.length();
                at = text.indexOf(special, from);
            }
            if (from < end) {
                addFragment(out, -1, from, end);
            }
        }
        return out;
    }

    private static void addFragment(IntList fragments, int id, int start, int end) {
        fragments.add(id);
        fragments.add(start);
        fragments.add(end);
    }
}
