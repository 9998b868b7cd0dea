package io.nemotron4j.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nemotron4j.engine.testing.TestResources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code nemotron4j logits} on the tiny F32 reference model, held to the float64 reference logits
 * ({@code tiny-f32.logits-exact.f32}, {@code [40][512]} for the ids of {@code tokens.txt}).
 */
class LogitsCommandTest {

    private static final String DIR = "reference/tiny/";
    private static final String MODEL = TestResources.path(DIR + "tiny-f32.gguf").toString();
    private static final int[] TOKENS = TestResources.ints(DIR + "tokens.txt");
    private static final String TOKEN_LIST = Arrays.stream(TOKENS).mapToObj(Integer::toString)
            .collect(Collectors.joining(","));
    private static final int VOCAB = 512;
    private static final float[] EXACT = TestResources.floats(DIR + "tiny-f32.logits-exact.f32");
    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest(name = "decode={0}")
    @ValueSource(booleans = {false, true})
    void writesEveryPositionsLogits(boolean decode, @TempDir Path dir) throws IOException {
        Path out = dir.resolve("logits.f32");
        List<String> args = new ArrayList<>(List.of("logits", "--model", MODEL, "--tokens", TOKEN_LIST,
                "--out", out.toString()));
        if (decode) {
            args.add("--decode");
        }

        CliRun run = CliRun.of(args.toArray(String[]::new)).requireSuccess();

        assertThat(Files.size(out)).isEqualTo((long) TOKENS.length * VOCAB * Float.BYTES);
        float[] logits = RawFloats.read(out);
        for (int i = 0; i < logits.length; i++) {
            assertThat((double) logits[i]).as("position %d, id %d", i / VOCAB, i % VOCAB)
                    .isCloseTo(EXACT[i], within(TOLERANCE));
        }
        assertThat(run.out().lines()).hasSize(TOKENS.length);
        assertThat(run.err()).startsWith(decode ? "decode of 40 tokens" : "prefill of 40 tokens");
    }

    @Test
    void printsJsonWithTheTopIdsOfEveryPosition() {
        CliRun run = CliRun.of("logits", "--model", MODEL, "--tokens", TOKEN_LIST, "--json").requireSuccess();

        JsonNode doc = JsonMapper.shared().readTree(run.out());
        assertThat(doc.get("vocab").asInt()).isEqualTo(VOCAB);
        assertThat(doc.get("stats").get("mode").asString()).isEqualTo("prefill");
        JsonNode positions = doc.get("positions");
        assertThat(positions.size()).isEqualTo(TOKENS.length);
        for (int pos = 0; pos < TOKENS.length; pos++) {
            JsonNode p = positions.get(pos);
            assertThat(p.get("pos").asInt()).isEqualTo(pos);
            assertThat(p.get("token").asInt()).isEqualTo(TOKENS[pos]);
            JsonNode top = p.get("top");
            assertThat(top.size()).as("default --top").isEqualTo(5);
            for (int j = 0; j < top.size(); j++) {
                int id = top.get(j).get("id").asInt();
                double logit = top.get(j).get("logit").asDouble();
                assertThat(logit).as("position %d, id %d", pos, id)
                        .isCloseTo(EXACT[pos * VOCAB + id], within(TOLERANCE));
                if (j > 0) {
                    assertThat(logit).as("position %d, rank %d", pos, j)
                            .isLessThanOrEqualTo(top.get(j - 1).get("logit").asDouble());
                }
            }
            assertThat(top.get(0).get("id").asInt()).as("best id at position %d", pos).isEqualTo(argmax(pos));
        }
    }

    @Test
    void printsOneLinePerPositionWithTopOne() {
        CliRun run = CliRun.of("logits", "--model", MODEL, "--tokens", TOKEN_LIST, "--top", "1").requireSuccess();

        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(TOKENS.length);
        Pattern line = Pattern.compile("pos (\\d+) \\(token (\\d+)\\): (\\d+):(\\S+)");
        for (int pos = 0; pos < TOKENS.length; pos++) {
            Matcher m = line.matcher(lines.get(pos));
            assertThat(m.matches()).as("line %d: %s", pos, lines.get(pos)).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isEqualTo(pos);
            assertThat(Integer.parseInt(m.group(2))).isEqualTo(TOKENS[pos]);
            assertThat(Integer.parseInt(m.group(3))).as("best id at position %d", pos).isEqualTo(argmax(pos));
        }
    }

    @Test
    void refusesATokenOutsideTheVocabulary() {
        CliRun run = CliRun.of("logits", "--model", MODEL, "--tokens", "1,600,2");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: ").contains("token id 600").contains("outside the vocabulary");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void missingTokensIsAUsageError() {
        CliRun run = CliRun.of("logits", "--model", MODEL);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--tokens").contains("Usage:");
    }

    @ParameterizedTest
    @CsvSource({"'--tokens=1,2 --top=0', --top", "'--tokens=1,x', --tokens"})
    void badOptionValuesAreUsageErrors(String options, String named) {
        List<String> args = new ArrayList<>(List.of("logits", "--model", MODEL));
        args.addAll(List.of(options.split(" ")));

        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(named);
    }

    private static int argmax(int pos) {
        int best = 0;
        for (int id = 1; id < VOCAB; id++) {
            if (EXACT[pos * VOCAB + id] > EXACT[pos * VOCAB + best]) {
                best = id;
            }
        }
        return best;
    }
}
