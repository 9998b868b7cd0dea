package io.nemotron4j.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.nemotron4j.engine.gguf.GGUFException;
import io.nemotron4j.engine.gguf.GGUFFile;
import io.nemotron4j.engine.gguf.GGUFValue;
import io.nemotron4j.engine.tensor.GGMLType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NemotronHModel#load} on files that are valid GGUF but not usable models: each variant is a valid random
 * model with exactly one thing broken, and each must fail with a {@link GGUFException} whose message names the
 * problem, leaving nothing mapped behind.
 */
class ModelLoadErrorsTest {

    private static final String A = NemotronHConfig.ARCHITECTURE + ".";
    /** E = 256 so that a matrix can be stored as a 256-element K-quant (Q2_K) block row. */
    private static final ModelSpec SPEC = new ModelSpec("load-errors", "M*-", 256, 64, 64, 4, 2, 16, 64, 128, 16, 2,
            8, 4, 1e-5f, 3, false);
    private static final int SSM_IN_ROWS = 2 * 128 + 2 * 2 * 16 + 8; // 2·Di + 2·G·N + Hm = 328
    private static final EngineOptions OPTIONS = new EngineOptions(1, 8);
    private static final int[] TOKENS = {3, 17, 60, 0, 42, 63, 9};

    private static final Path MAPS = Path.of("/proc/self/maps");
    private static final boolean CAN_PROBE_MAPS = Files.isReadable(MAPS);

    @TempDir
    static Path dir;
    private static Path valid;

    @BeforeAll
    static void writeValidModel() throws IOException {
        valid = dir.resolve("valid.gguf");
        RandomModelGenerator.write(SPEC, GGMLType.F32, valid);
        // The base file loads, so each failure below is due to the one edit.
        try (NemotronHModel m = NemotronHModel.load(valid, OPTIONS)) {
            assertThat(m.config().pattern()).isEqualTo("M*-");
            if (CAN_PROBE_MAPS) {
                assertThat(isMapped(valid)).as("a loaded model maps its file (checks the leak probe itself)").isTrue();
            }
        }
        assertThat(isMapped(valid)).as("close() unmaps the file").isFalse();
    }

    @Test
    void wrongArchitectureNamesBoth() throws IOException {
        Path f = variant("llama.gguf", v -> v.metadata.put("general.architecture", GGUFValue.string("llama")));
        assertThat(loadFails(f).getMessage()).contains("'llama'", "nemotron_h");
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Path f = variant("missing.gguf", v -> v.tensors.remove("blk.2.ffn_up.weight"));
        assertThat(loadFails(f).getMessage()).contains("blk.2.ffn_up.weight", "missing");
    }

    @Test
    void wrongMatrixShapeNamesTensorActualAndExpected() throws IOException {
        Path f = variant("shape.gguf", v -> {
            // Right byte count for the dims given, wrong number of rows for the config.
            long[] dims = {256, SSM_IN_ROWS - 8};
            v.tensors.put("blk.0.ssm_in.weight", new GGUFVariant.Tensor(GGMLType.F32, dims,
                    dst -> dst.fill((byte) 0)));
        });
        assertThat(loadFails(f).getMessage())
                .contains("blk.0.ssm_in.weight", "[256, 320]", "[256, " + SSM_IN_ROWS + "]");
    }

    @Test
    void transposedMatrixIsRejected() throws IOException {
        // Same element count, dims swapped: only the shape check can catch it.
        Path f = variant("transposed.gguf", v -> {
            GGUFVariant.Tensor t = v.tensors.get("blk.2.ffn_down.weight");
            assertThat(t.dims()).containsExactly(64, 256);
            v.tensors.put("blk.2.ffn_down.weight", new GGUFVariant.Tensor(t.type(), new long[] {256, 64}, t.source()));
        });
        assertThat(loadFails(f).getMessage()).contains("blk.2.ffn_down.weight", "[256, 64]", "[64, 256]");
    }

    @Test
    void wrongVectorLengthIsNamed() throws IOException {
        Path f = variant("vector.gguf", v -> v.tensors.put("blk.0.ssm_conv1d.bias",
                new GGUFVariant.Tensor(GGMLType.F32, new long[] {190}, dst -> dst.fill((byte) 0))));
        assertThat(loadFails(f).getMessage()).contains("blk.0.ssm_conv1d.bias", "[190]", "192");
    }

    @Test
    void unsupportedMatrixTypeIsNamed() throws IOException {
        assertThat(GGMLType.Q2_K.isSupported()).isFalse();
        Path f = variant("q2k.gguf", v -> {
            long[] dims = v.tensors.get("blk.1.attn_q.weight").dims();
            assertThat(dims).containsExactly(256, 64);
            // Raw Q2_K blocks (84 bytes per 256 values): the reader accepts them, the engine cannot compute with them.
            v.tensors.put("blk.1.attn_q.weight", new GGUFVariant.Tensor(GGMLType.Q2_K, dims,
                    dst -> dst.fill((byte) 0x11)));
        });
        assertThat(loadFails(f).getMessage()).contains("blk.1.attn_q.weight", "Q2_K");
    }

    @Test
    void feedForwardArrayOfWrongLength() throws IOException {
        Path f = variant("ff.gguf", v -> v.metadata.put(A + "feed_forward_length", GGUFValue.int32Array(0, 0)));
        assertThat(loadFails(f).getMessage()).contains(A + "feed_forward_length", "2 entries", "expected 3");
    }

    @Test
    void innerSizeNotDivisibleByHeads() throws IOException {
        Path f = variant("inner.gguf", v -> v.metadata.put(A + "ssm.inner_size", GGUFValue.uint32(130)));
        assertThat(loadFails(f).getMessage()).contains("ssm.inner_size 130", "ssm.time_step_rank 8");
    }

    @Test
    void missingBlockCount() throws IOException {
        Path f = variant("blocks.gguf", v -> assertThat(v.metadata.remove(A + "block_count")).isNotNull());
        assertThat(loadFails(f).getMessage()).contains(A + "block_count", "missing");
    }

    @Test
    void failedLoadCanBeRetriedAfterFixingTheFile() throws IOException {
        // The file a failed load saw can be overwritten in place and then loads: nothing held it open.
        Path f = variant("retry.gguf", v -> v.tensors.remove("output_norm.weight"));
        assertThat(loadFails(f).getMessage()).contains("output_norm.weight");
        Files.copy(valid, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (NemotronHModel m = NemotronHModel.load(f, OPTIONS)) {
            assertThat(m.forward(m.newState(), TOKENS)).hasSize(SPEC.vocab());
        }
    }

    @Test
    void absentOutputReusesTheEmbedding() throws IOException {
        ModelSpec tiedSpec = new ModelSpec("tied", SPEC.pattern(), SPEC.embedding(), SPEC.vocab(), SPEC.context(),
                SPEC.heads(), SPEC.kvHeads(), SPEC.headDim(), SPEC.feedForward(), SPEC.ssmInner(), SPEC.ssmState(),
                SPEC.ssmGroups(), SPEC.ssmHeads(), SPEC.convKernel(), SPEC.rmsEps(), SPEC.seed(), true);
        Path tied = dir.resolve("tied.gguf");
        RandomModelGenerator.write(tiedSpec, GGMLType.F32, tied);
        try (GGUFFile f = GGUFFile.open(tied)) {
            assertThat(f.findTensor("output.weight")).isEmpty();
        }
        Path explicit = GGUFVariant.write(tied, dir.resolve("explicit.gguf"), v -> {
            GGUFVariant.Tensor emb = v.tensors.get("token_embd.weight");
            v.tensors.put("output.weight", new GGUFVariant.Tensor(emb.type(), emb.dims(),
                    v.copyOf("token_embd.weight")));
        });
        float[] tiedLogits = logits(tied);
        float[] explicitLogits = logits(explicit);
        assertThat(tiedLogits).containsExactly(explicitLogits);
        // Same seed, same other weights, its own random output.weight: a present output.weight is used.
        float[] untied = logits(valid);
        double diff = 0;
        for (int i = 0; i < untied.length; i++) {
            diff = Math.max(diff, Math.abs(untied[i] - tiedLogits[i]));
        }
        assertThat(diff).isGreaterThan(1e-2);
    }

    private static float[] logits(Path model) throws IOException {
        try (NemotronHModel m = NemotronHModel.load(model, OPTIONS)) {
            float[] all = new float[TOKENS.length * SPEC.vocab()];
            m.forward(m.newState(), TOKENS, 0, TOKENS.length, Logits.ALL, all, null);
            return all;
        }
    }

    private static Path variant(String name, GGUFVariant.Edit edit) throws IOException {
        return GGUFVariant.write(valid, dir.resolve(name), edit);
    }

    /** Loads, expects a GGUFException that names the file, and checks that the file was released. */
    private static GGUFException loadFails(Path file) throws IOException {
        Throwable t = catchThrowable(() -> NemotronHModel.load(file, OPTIONS).close());
        assertThat(t).isInstanceOf(GGUFException.class);
        assertThat(t.getMessage()).startsWith(file.toString());
        assertThat(isMapped(file)).as("%s is still mapped after the failed load", file).isFalse();
        // Where the platform refuses to delete a mapped file (Windows) this fails too on a leak.
        Files.delete(file);
        assertThat(file).doesNotExist();
        return (GGUFException) t;
    }

    /** Whether this process maps the file (Linux: {@code /proc/self/maps}; elsewhere only the deletion check holds). */
    private static boolean isMapped(Path file) throws IOException {
        if (!CAN_PROBE_MAPS) {
            return false;
        }
        String real = file.toRealPath().toString();
        List<String> lines = Files.readAllLines(MAPS);
        return lines.stream().anyMatch(l -> l.endsWith(" " + real));
    }
}
