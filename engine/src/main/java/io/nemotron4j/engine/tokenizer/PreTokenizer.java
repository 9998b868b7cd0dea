package io.nemotron4j.engine.tokenizer;

import io.nemotron4j.engine.gguf.GGUFException;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The pre-tokenizers llama.cpp selects by {@code tokenizer.ggml.pre}: each splits text into the pieces that are
 * byte-pair encoded on their own. The patterns reproduce llama.cpp's split (see the package documentation for
 * where that departs from the original Tekken pattern); several patterns are applied in turn, each re-splitting
 * the pieces of the one before, and text a pattern does not match becomes a piece of its own.
 *
 * <p>All patterns run with {@link Pattern#UNICODE_CHARACTER_CLASS}, so {@code \s} is the Unicode White_Space
 * property (as in llama.cpp: it includes U+0085, U+00A0, U+2028 and U+3000, but not U+200B or U+FEFF), and
 * {@code \p{L}}, {@code \p{N}}, {@code \p{P}} are general categories over whole code points, including those
 * outside the BMP. None uses case-insensitive matching: that flag would fold {@code ſ} into {@code s}, which
 * llama.cpp's contraction rule does not.
 */
enum PreTokenizer {

    /** Mistral's Tekken pattern as llama.cpp rewrites it: "letter but not a–z" / "letter but not A–Z". */
    TEKKEN("tekken", true, true, Regex.TEKKEN),
    /** The Llama-3 pattern (the Hugging Face conversion of Mistral's tokenizer); contractions match ASCII case only. */
    PIXTRAL("pixtral", true, true, Regex.LLAMA3),
    /** llama.cpp's fallback: punctuation runs, then GPT-2, then number runs, then three-digit groups. */
    DEFAULT("default", false, false, Regex.PUNCTUATION, Regex.GPT2, Regex.NUMBERS, Regex.DIGIT_TRIPLES),
    GPT_2("gpt-2", false, false, Regex.GPT2);

    /** Pattern sources, kept apart from the constants because an enum constant cannot name a later field. */
    private static final class Regex {
        // llama.cpp writes "letter but not a-z" as ((?=[\p{L}])([^a-z])); a class intersection means the same
        // and, unlike a repeated group, matches long runs without recursing once per character.
        static final String TEKKEN = "[^\\r\\n\\p{L}\\p{N}]?[\\p{L}&&[^a-z]]*[\\p{L}&&[^A-Z]]+"
                + "|[^\\r\\n\\p{L}\\p{N}]?[\\p{L}&&[^a-z]]+[\\p{L}&&[^A-Z]]*"
                + "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
        static final String LLAMA3 = "'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]"
                + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
        static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
        static final String PUNCTUATION = "[\\p{P}\\$\\+<=>\\^~\\|]+";
        static final String NUMBERS = "\\p{N}+";
        static final String DIGIT_TRIPLES = "[0-9]{3}";
    }

    private final String ggufName;
    private final boolean ignoreMerges;
    private final boolean addsBosByDefault;
    private final List<Pattern> patterns;

    PreTokenizer(String ggufName, boolean ignoreMerges, boolean addsBosByDefault, String... regexes) {
        this.ggufName = ggufName;
        this.ignoreMerges = ignoreMerges;
        this.addsBosByDefault = addsBosByDefault;
        this.patterns = Arrays.stream(regexes).map(r -> Pattern.compile(r, Pattern.UNICODE_CHARACTER_CLASS)).toList();
    }

    /**
     * The pre-tokenizer for a {@code tokenizer.ggml.pre} value.
     *
     * @throws GGUFException for a value this engine does not implement; guessing another split would tokenize
     *         differently from the model's training without any visible error
     */
    static PreTokenizer forName(String name) throws GGUFException {
        for (PreTokenizer p : values()) {
            if (p.ggufName.equals(name)) {
                return p;
            }
        }
        throw new GGUFException("unknown pre-tokenizer tokenizer.ggml.pre = \"" + name + "\"; supported: " + supported());
    }

    /** The supported {@code tokenizer.ggml.pre} values, comma-separated. */
    static String supported() {
        return Arrays.stream(values()).map(p -> p.ggufName).collect(Collectors.joining(", "));
    }

    String ggufName() {
        return ggufName;
    }

    /** Whether a piece that is itself a vocabulary entry becomes that token without merging (llama.cpp's ignore_merges). */
    boolean ignoreMerges() {
        return ignoreMerges;
    }

    /** Whether llama.cpp adds BOS for this pre-tokenizer when the file does not say. */
    boolean addsBosByDefault() {
        return addsBosByDefault;
    }

    /** The end offset of every piece of {@code text[start, end)}, in order; the pieces cover the range exactly. */
    IntList split(String text, int start, int end) {
        IntList ends = new IntList();
        ends.add(end);
        for (Pattern pattern : patterns) {
            ends = resplit(pattern.matcher(text), start, ends);
        }
        return ends;
    }

    // Each chunk is matched on its own, with lookahead stopping at its end (the matcher's default opaque
    // bounds), as llama.cpp matches each earlier piece as a separate string.
    private static IntList resplit(Matcher matcher, int start, IntList chunkEnds) {
        IntList ends = new IntList();
        int chunkStart = start;
        for (int i = 0; i < chunkEnds.size(); i++) {
            int chunkEnd = chunkEnds.get(i);
            matcher.region(chunkStart, chunkEnd);
            int last = chunkStart;
            while (matcher.find()) {
                if (matcher.start() > last) {
                    ends.add(matcher.start());
                }
                ends.add(matcher.end());
                last = matcher.end();
            }
            if (last < chunkEnd) {
                ends.add(chunkEnd);
            }
            chunkStart = chunkEnd;
        }
        return ends;
    }
}
