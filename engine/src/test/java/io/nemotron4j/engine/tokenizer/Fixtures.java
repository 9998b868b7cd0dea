package io.nemotron4j.engine.tokenizer;

import io.nemotron4j.engine.gguf.GGUFException;
import io.nemotron4j.engine.gguf.GGUFFile;
import io.nemotron4j.engine.gguf.GGUFMetadata;
import io.nemotron4j.engine.testing.TestResources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tokenizer reference set (copied from the shared reference data; see {@code reference/tokenizer/README.md}):
 * five GGUFs with one synthetic Tekken-style vocabulary, and llama.cpp's output for 325 strings on each.
 */
final class Fixtures {

    static final String DIR = "reference/tokenizer/";
    /** The GGUF variants; each has {@code nemotron-h-tok-<variant>.gguf} and {@code corpus-<variant>.jsonl}. */
    static final List<String> VARIANTS = List.of("tekken", "pixtral", "default", "gpt-2", "tekken-userdef");
    /** The pre-tokenizers that have a {@code pretokens-<pre>.jsonl}. */
    static final List<String> PRE_TOKENIZERS = List.of("tekken", "pixtral", "default", "gpt-2");

    private static final Map<String, Tokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    private Fixtures() {
    }

    static Path gguf(String variant) {
        return TestResources.path(DIR + "nemotron-h-tok-" + variant + ".gguf");
    }

    static GGUFMetadata metadata(String variant) {
        try (GGUFFile file = GGUFFile.open(gguf(variant))) {
            return file.metadata();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tokenizer of a variant, loaded once per test run. */
    static Tokenizer tokenizer(String variant) {
        return TOKENIZERS.computeIfAbsent(variant, v -> {
            try {
                return Tokenizer.fromMetadata(metadata(v));
            } catch (GGUFException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The pre-tokenizer a variant's file names. */
    static String preOf(String variant) {
        return variant.equals("tekken-userdef") ? "tekken" : variant;
    }

    /** One JSON object per line. */
    static List<JsonNode> jsonLines(String file) {
        try {
            return Files.readAllLines(TestResources.path(DIR + file)).stream()
                    .filter(line -> !line.isBlank())
                    .map(line -> JsonMapper.shared().readTree(line))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * For a pre-tokenizer, the strings on which llama.cpp's split departs from the original pattern, with the
     * original pattern's pieces ({@code <pre>-vs-upstream-regex.jsonl}; none for {@code default} and {@code gpt-2}).
     */
    static Map<String, List<String>> upstreamSplits(String pre) {
        Map<String, List<String>> splits = new HashMap<>();
        if (pre.equals("tekken") || pre.equals("pixtral")) {
            for (JsonNode record : jsonLines(pre + "-vs-upstream-regex.jsonl")) {
                splits.put(record.get("text").asString(), strings(record.get("upstream")));
            }
        }
        return splits;
    }

    /** A readable one-line test name for the i-th record of a file. */
    static String testName(int index, String text) {
        String oneLine = text.replace("\n", "\\n").replace("\r", "\\r");
        int shown = 40;
        return "#" + index + " " + (oneLine.codePointCount(0, oneLine.length()) > shown
                ? oneLine.substring(0, oneLine.offsetByCodePoints(0, shown)) + "…" : oneLine);
    }

    static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }

    static int[] ints(JsonNode array) {
        return array.valueStream().mapToInt(JsonNode::asInt).toArray();
    }
}
