package io.nemotron4j.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.nemotron4j.engine.gguf.GGUFException;
import io.nemotron4j.engine.gguf.GGUFMetadata;
import io.nemotron4j.engine.gguf.GGUFValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A vocabulary the size of the real one (131,072 entries, 1,000 reserved specials first, then the 256 byte
 * tokens) with 250,000 merges builds and tokenizes. Loading must stay cheap at that size; the test checks only
 * that it works.
 */
class LargeVocabularyTest {

    private static final int VOCAB = 131_072;
    private static final int MERGES = 250_000;
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

    @Test
    void buildsAndEncodesWithARealSizedVocabulary() throws GGUFException {
        List<String> tokens = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            tokens.add("<SPECIAL_" + i + ">");
            types.add(3);
        }
        for (int b = 0; b < 256; b++) {
            tokens.add(String.valueOf(ByteLevel.charOf(b)));
            types.add(1);
        }
        // Every 2- and 3-letter word, then 4-letter words; each comes with a merge for every way to split it in
        // two known parts, so there are about twice as many merges as tokens, as in Tekken vocabularies.
        List<String> merges = new ArrayList<>();
        for (int length = 2; tokens.size() < VOCAB; length++) {
            for (String word : words(length)) {
                if (tokens.size() == VOCAB) {
                    break;
                }
                tokens.add(word);
                types.add(1);
                for (int cut = 1; cut < length && merges.size() < MERGES; cut++) {
                    merges.add(word.substring(0, cut) + " " + word.substring(cut));
                }
            }
        }
        assertThat(merges).hasSize(MERGES);

        Map<String, GGUFValue> kv = new LinkedHashMap<>();
        kv.put("tokenizer.ggml.model", GGUFValue.string("gpt2"));
        kv.put("tokenizer.ggml.pre", GGUFValue.string("tekken"));
        kv.put("tokenizer.ggml.tokens", GGUFValue.stringArray(tokens.toArray(String[]::new)));
        kv.put("tokenizer.ggml.token_type", GGUFValue.int32Array(types.stream().mapToInt(Integer::intValue).toArray()));
        kv.put("tokenizer.ggml.merges", GGUFValue.stringArray(merges.toArray(String[]::new)));
        kv.put("tokenizer.ggml.bos_token_id", GGUFValue.uint32(1));
        kv.put("tokenizer.ggml.eos_token_id", GGUFValue.uint32(2));

        Tokenizer tokenizer = Tokenizer.fromMetadata(new GGUFMetadata(kv));

        assertThat(tokenizer.vocabSize()).isEqualTo(VOCAB);
        assertThat(tokenizer.addBos()).isTrue();
        String text = "<SPECIAL_10>hello world, abcdefgh zz";
        int[] ids = tokenizer.encodeWithSpecials(text);
        assertThat(ids[0]).isEqualTo(10);
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
        assertThat(tokenizer.encode("abcd")).containsExactly(tokens.indexOf("abcd"));
    }

    private static List<String> words(int length) {
        List<String> words = new ArrayList<>(List.of(""));
        for (int i = 0; i < length; i++) {
            List<String> longer = new ArrayList<>(words.size() * LETTERS.length());
            for (String w : words) {
                for (char c : LETTERS.toCharArray()) {
                    longer.add(w + c);
                }
            }
            words = longer;
        }
        return words;
    }
}
