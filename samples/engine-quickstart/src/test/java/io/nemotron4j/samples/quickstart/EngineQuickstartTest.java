package io.nemotron4j.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.nemotron4j.engine.model.ModelSpec;
import io.nemotron4j.engine.model.NemotronHModel;
import io.nemotron4j.engine.model.RandomModelGenerator;
import io.nemotron4j.engine.tensor.GGMLType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quickstart on a small random-weight model written for the test. */
class EngineQuickstartTest {

    /** Mamba, attention and MLP layers, small enough to write and run in milliseconds. */
    private static final ModelSpec SPEC = new ModelSpec("quickstart-test", "M*-M", 64, 256, 512, 4, 2, 16, 128,
            128, 16, 2, 8, 4, 1e-5f, 7, false);
    private static final Pattern TOKEN_LINE = Pattern.compile(
            "token (\\d+): id (\\d+), logit (\\S+), (\\S+) ms \\((prefill of \\d+ prompt token\\(s\\)|decode step)\\)");

    @TempDir
    static Path dir;
    private static Path model;

    @BeforeAll
    static void writeModel() throws IOException {
        model = dir.resolve("quickstart.gguf");
        RandomModelGenerator.write(SPEC, GGMLType.Q8_0, model);
    }

    /** Each printed id is checked against a fresh prefill of the prompt and the ids before it. */
    @Test
    void generatesEightGreedyTokens() throws IOException {
        int[] prompt = {5, 17, 200};
        Run run = run(model.toString(), "5", "17", "200");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("loaded " + model).contains("4 layers (M*-M), vocabulary 256");
        int[] ids = generatedIds(run.out());
        assertThat(ids).hasSize(EngineQuickstart.GENERATED_TOKENS);
        assertThat(run.out()).contains("token 1: id " + ids[0]).contains("(prefill of 3 prompt token(s))");
        assertThat(run.out().split("\\(decode step\\)", -1)).hasSize(EngineQuickstart.GENERATED_TOKENS);
        try (NemotronHModel m = NemotronHModel.load(model)) {
            int[] sequence = Arrays.copyOf(prompt, prompt.length + ids.length);
            for (int i = 0; i < ids.length; i++) {
                float[] logits = m.forward(m.newState(), Arrays.copyOf(sequence, prompt.length + i));
                assertThat(ids[i]).as("token %d", i + 1).isEqualTo(argmax(logits));
                sequence[prompt.length + i] = ids[i];
            }
        }
    }

    @Test
    void thePromptDefaultsToTokenOne() {
        Run defaulted = run(model.toString());
        Run explicit = run(model.toString(), "1");

        assertThat(defaulted.exitCode()).isZero();
        assertThat(generatedIds(defaulted.out())).containsExactly(generatedIds(explicit.out()));
        assertThat(defaulted.out()).contains("(prefill of 1 prompt token(s))");
    }

    @Test
    void aMissingFileIsOneClearError() {
        Path absent = dir.resolve("absent.gguf");

        Run run = run(absent.toString(), "1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: model file not found: " + absent + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aFileThatIsNotAModelIsOneClearError() throws IOException {
        Path text = Files.writeString(dir.resolve("readme.gguf"), "plain text that only pretends to be a model");

        Run run = run(text.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: ").contains("not a GGUF file").hasLineCount(1);
    }

    @Test
    void idsThatAreNotTokensAreOneClearError() {
        Run word = run(model.toString(), "1", "two");
        Run outside = run(model.toString(), "1", "600");

        assertThat(word.exitCode()).isEqualTo(1);
        assertThat(word.err()).startsWith("error: ").contains("'two'").hasLineCount(1);
        assertThat(outside.exitCode()).isEqualTo(1);
        assertThat(outside.err()).startsWith("error: ").contains("token id 600").hasLineCount(1);
    }

    @Test
    void noArgumentsPrintsUsage() {
        Run run = run();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("usage: ").contains("MODEL.gguf");
    }

    private static int[] generatedIds(String out) {
        Matcher m = TOKEN_LINE.matcher(out);
        int[] ids = new int[EngineQuickstart.GENERATED_TOKENS];
        int n = 0;
        while (m.find()) {
            assertThat(Integer.parseInt(m.group(1))).as("token number").isEqualTo(n + 1);
            assertThat(n).as("more token lines than expected in%n%s", out).isLessThan(ids.length);
            ids[n++] = Integer.parseInt(m.group(2));
        }
        return Arrays.copyOf(ids, n);
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = EngineQuickstart.run(args, o, e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int exitCode, String out, String err) {
    }
}
