package io.nemotron4j.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * Every record of every {@code corpus-<variant>.jsonl}: 325 strings, each with special parsing off
 * ({@link Tokenizer#encode}) and on ({@link Tokenizer#encodeWithSpecials}), held to llama.cpp's ids, per-token
 * bytes and text, and streamed back through a {@link Tokenizer.Decoder}.
 */
class ReferenceCorpusTest {

    @TestFactory
    Stream<DynamicContainer> everyRecordOfEveryVariant() {
        return Fixtures.VARIANTS.stream().map(variant -> {
            Tokenizer tokenizer = Fixtures.tokenizer(variant);
            Map<String, List<String>> upstream = Fixtures.upstreamSplits(Fixtures.preOf(variant));
            List<JsonNode> records = Fixtures.jsonLines("corpus-" + variant + ".jsonl");
            assertThat(records).hasSize(650);
            List<DynamicTest> tests = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                JsonNode record = records.get(i);
                String name = Fixtures.testName(i, (record.get("parse_special").asBoolean() ? "special " : "plain ")
                        + record.get("text").asString());
                tests.add(dynamicTest(name, () -> check(tokenizer, record, upstream)));
            }
            return dynamicContainer(variant, tests);
        });
    }

    private static void check(Tokenizer tokenizer, JsonNode record, Map<String, List<String>> upstream) {
        String text = record.get("text").asString();
        boolean special = record.get("parse_special").asBoolean();
        int[] expected = Fixtures.ints(record.get("ids"));

        int[] ids = special ? tokenizer.encodeWithSpecials(text) : tokenizer.encode(text);

        if (upstream.containsKey(text)) {
            // Either split is accepted here (see docs/TOKENIZER.md); the engine follows llama.cpp.
            assertThat(ids).as("ids of %s", text).satisfiesAnyOf(
                    actual -> assertThat(actual).containsExactly(expected),
                    actual -> assertThat(actual).containsExactly(idsOfPieces(tokenizer, upstream.get(text))));
        } else {
            assertThat(ids).as("ids of %s", text).containsExactly(expected);
        }
        List<String> expectedBytes = Fixtures.strings(record.get("piece_bytes"));
        for (int i = 0; i < expected.length; i++) {
            assertThat(HexFormat.of().formatHex(tokenizer.tokenBytes(expected[i])))
                    .as("bytes of id %d", expected[i]).isEqualTo(expectedBytes.get(i));
            assertThat(tokenizer.tokenText(expected[i])).isEqualTo(record.get("pieces").get(i).asString());
        }
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
        assertStreamsBack(tokenizer, ids, text);
    }

    private static int[] idsOfPieces(Tokenizer tokenizer, List<String> pieces) {
        IntList out = new IntList();
        pieces.forEach(piece -> tokenizer.appendPiece(piece, out));
        return out.toArray();
    }

    /** Fed one id at a time, the decoder returns only whole characters, and all of it is the text. */
    static void assertStreamsBack(Tokenizer tokenizer, int[] ids, String text) {
        Tokenizer.Decoder decoder = tokenizer.newDecoder();
        StringBuilder streamed = new StringBuilder();
        for (int id : ids) {
            String chunk = decoder.accept(id);
            if (!text.contains("\uFFFD")) {
                assertThat(chunk).as("chunk after id %d", id).doesNotContain("\uFFFD");
            }
            assertThat(chunk.codePoints().noneMatch(Utf8::isSurrogate)).as("chunk %s is whole characters", chunk).isTrue();
            streamed.append(chunk);
        }
        assertThat(decoder.flush()).isEmpty();
        assertThat(streamed.toString()).isEqualTo(text);
    }
}
