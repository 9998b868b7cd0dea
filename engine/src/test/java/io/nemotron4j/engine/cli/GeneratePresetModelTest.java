package io.nemotron4j.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code nano-9b-v2-shallow} preset: NVIDIA-Nemotron-Nano-9B-v2's real widths in four layers. As Q8_0 that is
 * about 500 MB, so the model is generated once, in this class alone, inside a {@link TempDir} that JUnit deletes
 * afterwards.
 */
class GeneratePresetModelTest {

    private static final int VOCAB = 1024;
    private static final int TOKENS = 3;

    @TempDir
    Path dir;

    @Test
    void theShallowPresetRunsAndItsPrefillAgreesWithDecode() throws IOException {
        Path model = dir.resolve("nano-shallow.gguf");
        Path decoded = dir.resolve("decode.f32");
        Path prefilled = dir.resolve("prefill.f32");

        CliRun generated = CliRun.of("generate-model", "--config", "nano-9b-v2-shallow", "--out", model.toString())
                .requireSuccess();
        assertThat(generated.out()).startsWith("wrote " + model);
        assertThat(Files.size(model)).isGreaterThan(400L << 20);

        CliRun decode = CliRun.of("logits", "--model", model.toString(), "--tokens", "1,2,3", "--decode",
                "--out", decoded.toString()).requireSuccess();
        CliRun prefill = CliRun.of("logits", "--model", model.toString(), "--tokens", "1,2,3",
                "--out", prefilled.toString()).requireSuccess();

        assertThat(decode.err()).startsWith("decode of 3 tokens");
        assertThat(prefill.err()).startsWith("prefill of 3 tokens");
        float[] d = RawFloats.read(decoded);
        float[] p = RawFloats.read(prefilled);
        assertThat(d).hasSize(TOKENS * VOCAB);
        assertThat(p).hasSize(TOKENS * VOCAB);
        double maxDiff = 0;
        double maxMagnitude = 0;
        for (int i = 0; i < d.length; i++) {
            assertThat(d[i]).as("decode logit %d", i).isFinite();
            maxDiff = Math.max(maxDiff, Math.abs(d[i] - p[i]));
            maxMagnitude = Math.max(maxMagnitude, Math.abs(d[i]));
        }
        assertThat(maxDiff).as("prefill vs decode").isLessThanOrEqualTo(1e-3);
        assertThat(maxMagnitude).as("logits that carry a signal").isPositive();
    }
}
