package io.nemotron4j.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nemotron4j.engine.gguf.GGUFFile;
import io.nemotron4j.engine.model.NemotronHConfig;
import io.nemotron4j.engine.model.NemotronHModel;
import io.nemotron4j.engine.tensor.GGMLType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code nemotron4j generate-model} from small JSON specs, for every storage type the generator writes. */
class GenerateModelCommandTest {

    private static final String PATTERN = "M*-M";

    @TempDir
    Path dir;

    /** K-quants need rows of 256, so their specs have n_embd and d_inner 256, as wide as {@code ssm_in} needs. */
    @ParameterizedTest(name = "{0}, n_embd {1}")
    @CsvSource({"F32, 64", "F16, 64", "BF16, 64", "Q8_0, 64", "Q4_0, 64", "Q5_0, 64",
            "Q4_K, 256", "Q5_K, 256", "Q6_K, 256"})
    void writesALoadableModelOfTheRequestedType(GGMLType dtype, int width) throws IOException {
        Path model = dir.resolve("model.gguf");

        CliRun run = generate(spec(width), "--dtype", dtype.name(), "--out", model.toString()).requireSuccess();

        assertThat(run.out()).startsWith("wrote " + model);
        try (NemotronHModel m = NemotronHModel.load(model)) {
            NemotronHConfig c = m.config();
            assertThat(c.pattern()).isEqualTo(PATTERN);
            assertThat(c.embeddingLength()).isEqualTo(width);
            assertThat(c.vocabSize()).isEqualTo(256);
            assertThat(c.headCount()).isEqualTo(4);
            assertThat(c.headCountKv()).containsExactly(0, 2, 0, 0);
            assertThat(c.headDim()).isEqualTo(16);
            assertThat(c.feedForwardLength()).containsExactly(0, 0, 128, 0);
            assertThat(c.ssmInner()).isEqualTo(width == 64 ? 128 : 256);
            assertThat(c.ssmState()).isEqualTo(16);
            assertThat(c.ssmGroups()).isEqualTo(2);
            assertThat(c.ssmHeads()).isEqualTo(8);
            for (float logit : m.forward(m.newState(), 1, 2, 3)) {
                assertThat(logit).isFinite();
            }
        }
        assertThat(inspectedType(model, "blk.0.ssm_in.weight")).isEqualTo(dtype.name());
    }

    @Test
    void theSeedDecidesTheBytes() throws IOException {
        Path spec = spec(64);
        Path first = dir.resolve("first.gguf");
        Path again = dir.resolve("again.gguf");
        Path reseeded = dir.resolve("reseeded.gguf");

        generate(spec, "--out", first.toString()).requireSuccess();
        generate(spec, "--out", again.toString()).requireSuccess();
        generate(spec, "--out", reseeded.toString(), "--seed", "7").requireSuccess();

        assertThat(Files.mismatch(first, again)).as("same spec, same seed").isEqualTo(-1);
        assertThat(Files.mismatch(first, reseeded)).as("another seed").isNotEqualTo(-1);
        assertThat(Files.size(reseeded)).as("only the values change").isEqualTo(Files.size(first));
    }

    /** Rows of 64 cannot hold a 256-element K-quant block; llama-quantize's fallbacks apply. */
    @ParameterizedTest(name = "{0} falls back to {1}")
    @CsvSource({"Q6_K, Q8_0", "Q4_K, Q5_0", "Q5_K, Q5_0"})
    void kQuantsFallBackWhereRowsAreTooShort(GGMLType asked, GGMLType stored) throws IOException {
        Path model = dir.resolve("model.gguf");

        generate(spec(64), "--dtype", asked.name(), "--out", model.toString()).requireSuccess();

        try (GGUFFile gguf = GGUFFile.open(model)) {
            assertThat(gguf.tensor("blk.0.ssm_in.weight").type()).isEqualTo(stored);
        }
    }

    @Test
    void anUnknownDtypeIsAUsageError() throws IOException {
        CliRun run = generate(spec(64), "--dtype", "Q3_X", "--out", dir.resolve("model.gguf").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown --dtype Q3_X");
        assertThat(dir.resolve("model.gguf")).doesNotExist();
    }

    /** Each case spoils the valid 64-wide spec in one way, by replacing a piece of its text. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "truncated JSON        | false}           | false,             | end-of-input",
            "missing required key  | \"n_embd\": 64,    |                    | n_embd",
            "KV heads not dividing | \"n_head_kv\": 2   | \"n_head_kv\": 3     | n_head_kv"})
    void aBadSpecFailsNamingTheProblem(String description, String from, String to, String named) throws IOException {
        String json = specJson(64).replace(from, to == null ? "" : to);
        assertThat(json).as("the spoiled spec").isNotEqualTo(specJson(64));
        Path spec = Files.writeString(dir.resolve("spec.json"), json);

        CliRun run = generate(spec, "--out", dir.resolve("model.gguf").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: ").contains(spec.toString()).contains(named);
        assertThat(dir.resolve("model.gguf")).doesNotExist();
    }

    /** n_ctx, d_conv, rms_eps, seed and tied_output are optional and take their defaults. */
    @Test
    void optionalKeysMayBeLeftOut() throws IOException {
        Path spec = Files.writeString(dir.resolve("minimal.json"), """
                {"pattern": "M*-", "n_embd": 64, "n_vocab": 256, "n_head": 4, "n_head_kv": 2, "head_dim": 16,
                 "n_ff": 128, "d_inner": 128, "d_state": 16, "n_group": 2, "n_ssm_head": 8}
                """);
        Path model = dir.resolve("minimal.gguf");
        generate(spec, "--out", model.toString()).requireSuccess();
        try (NemotronHModel m = NemotronHModel.load(model)) {
            assertThat(m.config().contextLength()).isEqualTo(4096);
            assertThat(m.config().convKernel()).isEqualTo(4);
            assertThat(m.config().rmsEps()).isEqualTo(1e-5f);
        }
    }

    /** A random model that borrows a real tokenizer and chat template can be chatted with. */
    @Test
    void theTokenizerOfAnotherGgufCanBeBorrowed() throws IOException {
        Path model = dir.resolve("chat.gguf");
        String fixture = io.nemotron4j.engine.testing.TestResources
                .path("reference/tokenizer/nemotron-h-tok-tekken.gguf").toString();
        generate(spec(64), "--tokenizer-from", fixture, "--out", model.toString()).requireSuccess();
        try (NemotronHModel m = NemotronHModel.load(model)) {
            assertThat(m.config().vocabSize()).isEqualTo(4304);
            assertThat(m.file().metadata().getString("tokenizer.chat_template")).contains("<SPECIAL_11>");
        }
        CliRun run = CliRun.of("run", "--model", model.toString(), "--prompt", "Hello", "--max-tokens", "4").requireSuccess();
        assertThat(run.err()).contains(" prompt, ");
        CliRun bad = generate(spec(64), "--tokenizer-from", spec(64).toString(), "--out", dir.resolve("x.gguf").toString());
        assertThat(bad.exitCode()).isEqualTo(1);
    }

    @Test
    void aConfigThatIsNeitherFileNorPresetFails() {
        CliRun run = CliRun.of("generate-model", "--config", "nano-99b", "--out", dir.resolve("m.gguf").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: ").contains("nano-99b").contains("neither a file nor a preset");
    }

    private Path spec(int width) throws IOException {
        return Files.writeString(dir.resolve("spec-" + width + ".json"), specJson(width));
    }

    /** A spec with every key of the reference config.json; {@code d_inner} widens with {@code n_embd}. */
    private static String specJson(int width) {
        return """
                {"pattern": "%s", "n_embd": %d, "n_vocab": 256, "n_ctx": 4096, "n_head": 4, "n_head_kv": 2,
                 "head_dim": 16, "n_ff": 128, "d_inner": %d, "d_state": 16, "n_group": 2, "n_ssm_head": 8,
                 "d_conv": 4, "rms_eps": 1e-5, "seed": 0, "tied_output": false}
                """.formatted(PATTERN, width, width == 64 ? 128 : 256);
    }

    private static CliRun generate(Path spec, String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "generate-model";
        args[1] = "--config";
        args[2] = spec.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        return CliRun.of(args);
    }

    /** The type column of a tensor's row in {@code nemotron4j inspect}. */
    private static String inspectedType(Path model, String tensor) {
        String out = CliRun.of("inspect", model.toString()).requireSuccess().out();
        Matcher m = Pattern.compile("(?m)^\\s+" + Pattern.quote(tensor) + "\\s+(\\S+)\\s").matcher(out);
        assertThat(m.find()).as("a row for %s in%n%s", tensor, out).isTrue();
        return m.group(1);
    }
}
