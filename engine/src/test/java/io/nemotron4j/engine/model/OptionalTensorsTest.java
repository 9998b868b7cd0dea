package io.nemotron4j.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.nemotron4j.engine.gguf.GGUFFile;
import io.nemotron4j.engine.gguf.GGUFTensorInfo;
import io.nemotron4j.engine.gguf.GGUFWriter;
import io.nemotron4j.engine.tensor.GGMLType;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tensors NVIDIA's checkpoints lack but the loader must honour (spec §2.3): a fused {@code attn_qkv} projection
 * and biases on q, k, v, output, ffn_up and ffn_down. Each is checked against an algebraically equivalent model
 * without it, so the test needs no second implementation of the forward pass.
 */
class OptionalTensorsTest {

    private static final int E = 32;
    private static final int HEADS = 4;
    private static final int KV_HEADS = 2;
    private static final int HEAD_DIM = 8;
    private static final int FF = 48;
    private static final int[] TOKENS = {5, 17, 3, 99, 42, 7, 7, 120, 64, 1};

    @TempDir
    Path dir;

    private Path base;

    @BeforeEach
    void writeBase() throws IOException {
        base = dir.resolve("base.gguf");
        ModelSpec spec = new ModelSpec("bias-test", "*-", E, 128, 64, HEADS, KV_HEADS, HEAD_DIM, FF, 0, 0, 0, 0, 4,
                1e-5f, 9, false);
        RandomModelGenerator.write(spec, GGMLType.F32, base);
    }

    @Test
    void fusedQkvProjectionEqualsSeparateOnes() throws IOException {
        Map<String, float[]> t = tensors(base);
        float[] q = t.remove("blk.0.attn_q.weight");
        float[] k = t.remove("blk.0.attn_k.weight");
        float[] v = t.remove("blk.0.attn_v.weight");
        t.put("blk.0.attn_qkv.weight", concat(q, k, v));
        float[] qBias = random(HEADS * HEAD_DIM, 1);
        float[] kBias = random(KV_HEADS * HEAD_DIM, 2);
        float[] vBias = random(KV_HEADS * HEAD_DIM, 3);
        t.put("blk.0.attn_qkv.bias", concat(qBias, kBias, vBias));
        Map<String, float[]> separate = tensors(base);
        separate.put("blk.0.attn_q.bias", qBias);
        separate.put("blk.0.attn_k.bias", kBias);
        separate.put("blk.0.attn_v.bias", vBias);
        assertThat(maxDiff(logits(write("fused", t)), logits(write("separate", separate)))).isLessThan(1e-5);
    }

    @Test
    void keyBiasCancelsInTheSoftmax() throws IOException {
        Map<String, float[]> t = tensors(base);
        t.put("blk.0.attn_k.bias", random(KV_HEADS * HEAD_DIM, 4));
        // q·(k+b) = q·k + q·b: the same shift for every position, which softmax ignores.
        assertThat(maxDiff(logits(write("kbias", t)), logits(base))).isLessThan(1e-4);
    }

    @Test
    void valueBiasEqualsTheOutputBiasItInduces() throws IOException {
        float[] vBias = random(KV_HEADS * HEAD_DIM, 5);
        Map<String, float[]> withV = tensors(base);
        withV.put("blk.0.attn_v.bias", vBias);
        // Softmax weights sum to one, so every head's output moves by its KV head's bias: Wo·expand(b).
        float[] wo = withV.get("blk.0.attn_output.weight");
        int width = HEADS * HEAD_DIM;
        float[] induced = new float[E];
        for (int o = 0; o < E; o++) {
            double s = 0;
            for (int i = 0; i < width; i++) {
                int head = i / HEAD_DIM;
                s += wo[o * width + i] * vBias[(head / (HEADS / KV_HEADS)) * HEAD_DIM + i % HEAD_DIM];
            }
            induced[o] = (float) s;
        }
        Map<String, float[]> withO = tensors(base);
        withO.put("blk.0.attn_output.bias", induced);
        float[] a = logits(write("vbias", withV));
        assertThat(maxDiff(a, logits(write("obias", withO)))).isLessThan(1e-4);
        assertThat(maxDiff(a, logits(base))).as("the bias must change something").isGreaterThan(1e-3);
    }

    @Test
    void mlpBiasesAreApplied() throws IOException {
        Map<String, float[]> zero = tensors(base);
        zero.put("blk.1.ffn_up.bias", new float[FF]);
        zero.put("blk.1.ffn_down.bias", new float[E]);
        assertThat(maxDiff(logits(write("zero", zero)), logits(base))).isZero();
        Map<String, float[]> down = tensors(base);
        float[] bias = random(E, 6);
        down.put("blk.1.ffn_down.bias", bias);
        assertThat(maxDiff(logits(write("down", down)), logits(base))).isGreaterThan(1e-3);
        Map<String, float[]> up = tensors(base);
        float[] huge = new float[FF];
        java.util.Arrays.fill(huge, -1e4f);
        up.put("blk.1.ffn_up.bias", huge);
        // relu(up·u - 1e4)² = 0: the MLP contributes nothing, exactly as if its down projection were zero.
        Map<String, float[]> silenced = tensors(base);
        silenced.put("blk.1.ffn_down.weight", new float[FF * E]);
        assertThat(maxDiff(logits(write("up", up)), logits(write("silenced", silenced)))).isZero();
    }

    private static float[] logits(Path model) throws IOException {
        try (NemotronHModel m = NemotronHModel.load(model)) {
            float[] out = new float[TOKENS.length * m.config().vocabSize()];
            m.forward(m.newState(), TOKENS, 0, TOKENS.length, Logits.ALL, out, null);
            return out;
        }
    }

    /** All tensors of an F32 file as floats, in file order. */
    private Map<String, float[]> tensors(Path file) throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (GGUFFile f = GGUFFile.open(file)) {
            for (GGUFTensorInfo t : f.tensors()) {
                out.put(t.name(), f.data(t).toArray(ValueLayout.JAVA_FLOAT_UNALIGNED));
            }
        }
        return out;
    }

    private Path write(String name, Map<String, float[]> tensors) throws IOException {
        Path out = dir.resolve(name + ".gguf");
        GGUFWriter w = new GGUFWriter();
        try (GGUFFile f = GGUFFile.open(base)) {
            f.metadata().asMap().forEach(w::put);
            for (Map.Entry<String, float[]> e : tensors.entrySet()) {
                float[] values = e.getValue();
                // New tensors: a matrix takes rows of E, a bias is a vector.
                long[] dims = f.findTensor(e.getKey()).map(GGUFTensorInfo::dims).orElse(
                        e.getKey().endsWith(".weight") ? new long[] {E, values.length / E} : new long[] {values.length});
                w.addTensor(e.getKey(), GGMLType.F32, dims, (MemorySegment dst) ->
                        MemorySegment.copy(values, 0, dst, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, values.length));
            }
        }
        w.write(out);
        return out;
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) r.nextGaussian() * 0.5f;
        }
        return out;
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
