package io.nemotron4j.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.nemotron4j.engine.testing.TestResources;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The forward pass against the reference logits of shared/reference/tiny: a float64 forward pass on the exact
 * stored weights ({@code logits-exact}) and llama.cpp ({@code logits}, {@code logits-decode}). The engine keeps
 * activations in float32, so it is held to 1e-4 of the exact reference for every weight type, on the prefill path
 * and on the token-by-token decode path.
 */
class ReferenceLogitsTest {

    private static final String DIR = "reference/tiny/";
    private static final int[] TOKENS = TestResources.ints(DIR + "tokens.txt");
    private static final int VOCAB = 512;
    private static final int EMBD = 64;
    private static final double EXACT_TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"tiny-f32", "tiny-f16", "tiny-bf16", "tiny-q8_0"})
    void prefillMatchesExactReference(String model) throws IOException {
        Run run = run(model, 64, false);
        assertClose(model, "prefill", run, TestResources.floats(DIR + model + ".logits-exact.f32"), EXACT_TOLERANCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-f32", "tiny-f16", "tiny-bf16", "tiny-q8_0"})
    void decodeMatchesExactReference(String model) throws IOException {
        Run run = run(model, 64, true);
        assertClose(model, "decode", run, TestResources.floats(DIR + model + ".logits-exact.f32"), EXACT_TOLERANCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-f32", "tiny-f16", "tiny-bf16", "tiny-q8_0"})
    void chunkedPrefillEqualsSinglePass(String model) throws IOException {
        float[] whole = run(model, 64, false).logits;
        for (int chunk : new int[] {1, 2, 3, 7}) {
            float[] chunked = run(model, chunk, false).logits;
            assertThat(maxAbsDiff(whole, chunked)).as("%s in chunks of %d", model, chunk).isLessThan(1e-5);
        }
    }

    /** The right-hand column of the reference README: llama.cpp quantizes activations, so bounds widen by type. */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-f32:1e-4:1", "tiny-f16:1e-2:1", "tiny-bf16:0.08:0.015", "tiny-q8_0:0.25:0.05"})
    void prefillAndDecodeAgreeWithLlamaCpp(String spec) throws IOException {
        String[] p = spec.split(":");
        assertAgreesWithLlamaCpp(p[0], Double.parseDouble(p[1]), Double.parseDouble(p[2]));
    }

    /**
     * Prefill and decode logits within {@code maxAbs} (and prefill within {@code rms}) of llama.cpp's, and the same
     * top token wherever llama.cpp's top-1/top-2 margin is at least 0.25.
     */
    static void assertAgreesWithLlamaCpp(String model, double maxAbs, double rms) throws IOException {
        float[] llama = TestResources.floats(DIR + model + ".logits.f32");
        float[] llamaDecode = TestResources.floats(DIR + model + ".logits-decode.f32");
        float[] prefill = run(model, 64, false).logits;
        float[] decode = run(model, 64, true).logits;
        assertThat(maxAbsDiff(prefill, llama)).as("%s prefill vs llama.cpp", model).isLessThanOrEqualTo(maxAbs);
        assertThat(rmsDiff(prefill, llama)).as("%s prefill vs llama.cpp rms", model).isLessThanOrEqualTo(rms);
        assertThat(maxAbsDiff(decode, llamaDecode)).as("%s decode vs llama.cpp", model).isLessThanOrEqualTo(maxAbs);
        // Where llama.cpp is sure of its top token, so are we.
        for (int pos = 0; pos < TOKENS.length; pos++) {
            int[] top = top2(llama, pos);
            double margin = llama[pos * VOCAB + top[0]] - llama[pos * VOCAB + top[1]];
            if (margin >= 0.25) {
                assertThat(top2(prefill, pos)[0]).as("%s argmax at position %d", model, pos).isEqualTo(top[0]);
            }
        }
    }

    /** llama.cpp's per-layer hidden states match ours layer by layer, within llama.cpp's own rounding. */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-f32", "tiny-f16", "tiny-bf16", "tiny-q8_0"})
    void hiddenStatesMatchLlamaCppLayerByLayer(String model) throws IOException {
        Run run = run(model, 64, false);
        float[] reference = TestResources.floats(DIR + model + ".hidden.f32");
        assertThat(firstDifferingLayer(run.hidden, reference, hiddenNoiseFloor(model)))
                .as("%s: max |diff| per layer %s", model, layerProfile(run.hidden, reference)).isEqualTo(-1);
    }

    private record Run(float[] logits, float[] hidden) {
    }

    private static Run run(String model, int chunk, boolean decode) throws IOException {
        EngineOptions options = EngineOptions.defaults().withPrefillChunk(chunk);
        try (NemotronHModel m = NemotronHModel.load(TestResources.path(DIR + model + ".gguf"), options)) {
            int n = TOKENS.length;
            int layers = m.config().layerCount();
            float[] hidden = new float[(layers + 1) * n * EMBD];
            LayerObserver recorder = (layer, first, h, tokens) ->
                    System.arraycopy(h, 0, hidden, (layer * n + first) * EMBD, tokens * EMBD);
            float[] logits = new float[n * VOCAB];
            SequenceState state = m.newState();
            if (decode) {
                float[] one = new float[VOCAB];
                for (int i = 0; i < n; i++) {
                    m.forward(state, TOKENS, i, 1, Logits.LAST, one, recorder);
                    System.arraycopy(one, 0, logits, i * VOCAB, VOCAB);
                }
            } else {
                m.forward(state, TOKENS, 0, n, Logits.ALL, logits, recorder);
            }
            assertThat(state.position()).isEqualTo(n);
            return new Run(logits, hidden);
        }
    }

    private static void assertClose(String model, String path, Run run, float[] expected, double tolerance) {
        List<String> bad = new ArrayList<>();
        for (int pos = 0; pos < TOKENS.length; pos++) {
            double diff = 0;
            for (int v = 0; v < VOCAB; v++) {
                diff = Math.max(diff, Math.abs(run.logits[pos * VOCAB + v] - expected[pos * VOCAB + v]));
            }
            if (!(diff <= tolerance)) {
                bad.add("position " + pos + ": max |diff| " + diff);
            }
        }
        if (!bad.isEmpty()) {
            float[] hidden = TestResources.floats(DIR + model + ".hidden.f32");
            int layer = firstDifferingLayer(run.hidden, hidden, hiddenNoiseFloor(model));
            throw new AssertionError(model + " " + path + ": " + bad.size() + " of " + TOKENS.length
                    + " positions differ from logits-exact by more than " + tolerance + " (first: " + bad.get(0)
                    + "); first layer whose hidden state differs from llama.cpp's beyond its own rounding: "
                    + (layer < 0 ? "none" : layer == 7 ? "final norm" : "block " + layer)
                    + "; max |diff| per layer: " + layerProfile(run.hidden, hidden));
        }
    }

    /**
     * How far llama.cpp's hidden states stray from exact arithmetic on their own: it rounds activations to the
     * weight type before each matmul (measured on a correct run: about 6e-3 for F16, 7e-2 for BF16, 0.23 for Q8_0
     * by the last block).
     */
    private static double hiddenNoiseFloor(String model) {
        return switch (model) {
            case "tiny-f16" -> 2e-2;
            case "tiny-bf16" -> 0.15;
            case "tiny-q8_0" -> 0.5;
            default -> 1e-4;
        };
    }

    private static String layerProfile(float[] actual, float[] expected) {
        int slab = TOKENS.length * EMBD;
        StringBuilder sb = new StringBuilder();
        for (int layer = 0; layer < expected.length / slab; layer++) {
            double d = 0;
            for (int i = layer * slab; i < (layer + 1) * slab; i++) {
                d = Math.max(d, Math.abs(actual[i] - expected[i]));
            }
            sb.append(layer == 0 ? "" : ", ").append(String.format("%.1e", d));
        }
        return sb.toString();
    }

    /** The first slab of {@code [layers+1][tokens][embd]} whose values differ by more than the tolerance, or -1. */
    static int firstDifferingLayer(float[] actual, float[] expected, double tolerance) {
        int slab = TOKENS.length * EMBD;
        for (int layer = 0; layer < expected.length / slab; layer++) {
            for (int i = layer * slab; i < (layer + 1) * slab; i++) {
                if (!(Math.abs(actual[i] - expected[i]) <= tolerance)) {
                    return layer;
                }
            }
        }
        return -1;
    }

    private static int[] top2(float[] logits, int pos) {
        int best = -1;
        int second = -1;
        for (int v = 0; v < VOCAB; v++) {
            float x = logits[pos * VOCAB + v];
            if (best < 0 || x > logits[pos * VOCAB + best]) {
                second = best;
                best = v;
            } else if (second < 0 || x > logits[pos * VOCAB + second]) {
                second = v;
            }
        }
        return new int[] {best, second};
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - b[i]);
            m = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(m, d);
        }
        return m;
    }

    private static double rmsDiff(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s / a.length);
    }
}
