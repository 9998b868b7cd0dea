package io.nemotron4j.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.nemotron4j.engine.gguf.GGUFException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** The pre-tokenizer splits against {@code pretokens-<pre>.jsonl}, llama.cpp's split of each whole corpus string. */
class PreTokenizerTest {

    @TestFactory
    Stream<DynamicContainer> splitsEveryStringAsLlamaCpp() {
        return Fixtures.PRE_TOKENIZERS.stream().map(name -> {
            PreTokenizer pre = forName(name);
            Map<String, List<String>> upstream = Fixtures.upstreamSplits(name);
            List<JsonNode> records = Fixtures.jsonLines("pretokens-" + name + ".jsonl");
            assertThat(records).hasSize(325);
            return dynamicContainer(name, IntStream.range(0, records.size()).mapToObj(i -> {
                String text = records.get(i).get("text").asString();
                List<String> expected = Fixtures.strings(records.get(i).get("pretokens"));
                return dynamicTest(Fixtures.testName(i, text), () -> {
                    List<String> pieces = pieces(pre, text);
                    if (upstream.containsKey(text)) {
                        assertThat(pieces).isIn(expected, upstream.get(text));
                    } else {
                        assertThat(pieces).containsExactlyElementsOf(expected);
                    }
                });
            }));
        });
    }

    @Test
    void followsLlamaCppWhereItDepartsFromTheOriginalPatterns() {
        assertThat(pieces(PreTokenizer.TEKKEN, "приветМир")).containsExactly("приветМир");
        assertThat(pieces(PreTokenizer.TEKKEN, "camelCaseÜber")).containsExactly("camel", "CaseÜber");
        assertThat(pieces(PreTokenizer.TEKKEN, "cafe\u0301")).containsExactly("cafe", "\u0301");
        assertThat(pieces(PreTokenizer.PIXTRAL, "wait'ſt here")).containsExactly("wait", "'ſt", " here");
        assertThat(pieces(PreTokenizer.PIXTRAL, "I'M")).containsExactly("I", "'M");
    }

    static Stream<Arguments> documentedSplits() {
        return Stream.of(
                Arguments.of("tekken", "1234567", List.of("1", "2", "3", "4", "5", "6", "7")),
                Arguments.of("pixtral", "1234567", List.of("123", "456", "7")),
                Arguments.of("gpt-2", "1234567", List.of("1234567")),
                Arguments.of("default", "1234567", List.of("123", "456", "7")),
                Arguments.of("default", "it's", List.of("it", "'", "s")),
                Arguments.of("pixtral", "a\u00a0b", List.of("a", "\u00a0b")),
                Arguments.of("pixtral", "a\u200bb", List.of("a", "\u200bb")),
                Arguments.of("pixtral", "Hello   world", List.of("Hello", "  ", " world")),
                Arguments.of("tekken", "a\r\nb", List.of("a", "\r\n", "b")),
                Arguments.of("gpt-2", "a\r\nb", List.of("a", "\r", "\n", "b")));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("documentedSplits")
    void splitsAsTheReferenceDescribes(String name, String text, List<String> expected) throws GGUFException {
        assertThat(pieces(PreTokenizer.forName(name), text)).containsExactlyElementsOf(expected);
    }

    /** Long runs of one kind of character must neither overflow the stack nor take quadratic time. */
    @Test
    void splitsLongRunsOfEveryKind() {
        int n = 100_000;
        List<String> texts = List.of("a".repeat(n), "aB".repeat(n / 2), "\uD835\uDC00é".repeat(n / 3),
                "7".repeat(n), " ".repeat(n) + "x", "!?".repeat(n / 2), " \n".repeat(n / 2), "e\u0301".repeat(n / 2));
        for (PreTokenizer pre : PreTokenizer.values()) {
            for (String text : texts) {
                assertThat(String.join("", pieces(pre, text))).isEqualTo(text);
            }
        }
    }

    @Test
    void refusesAnUnknownNameAndListsTheSupportedOnes() {
        assertThatThrownBy(() -> PreTokenizer.forName("nemotron")).isInstanceOf(GGUFException.class)
                .hasMessageContaining("\"nemotron\"").hasMessageContaining("tekken, pixtral, default, gpt-2");
    }

    private static PreTokenizer forName(String name) {
        try {
            return PreTokenizer.forName(name);
        } catch (GGUFException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> pieces(PreTokenizer pre, String text) {
        IntList ends = pre.split(text, 0, text.length());
        List<String> pieces = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < ends.size(); i++) {
            pieces.add(text.substring(from, ends.get(i)));
            from = ends.get(i);
        }
        return pieces;
    }
}
