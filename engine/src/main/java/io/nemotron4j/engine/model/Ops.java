package io.nemotron4j.engine.model;

/** The element-wise functions of the forward pass, with llama.cpp's numerics. */
final class Ops {

    private Ops() {
    }

    /**
     * {@code out[o..o+n) = x[o..o+n) / sqrt(mean(x²) + eps) ⊙ w[wOffset..]}. The sum of squares is kept in double,
     * as ggml does, so long rows lose nothing to accumulation order.
     */
    static void rmsNorm(float[] x, int offset, int n, float[] w, int wOffset, float eps, float[] out) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float v = x[offset + i];
            sum += (double) v * v;
        }
        float scale = (float) (1.0 / Math.sqrt(sum / n + eps));
        for (int i = 0; i < n; i++) {
            out[offset + i] = x[offset + i] * scale * w[wOffset + i];
        }
    }

    /** Adds {@code bias} to each of {@code tokens} rows of {@code out}; no-op when the model has no bias. */
    static void addBias(float[] out, int tokens, float[] bias) {
        if (bias == null) {
            return;
        }
        int width = bias.length;
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < width; i++) {
                out[t * width + i] += bias[i];
            }
        }
    }

    static float silu(float x) {
        return x / (1f + (float) Math.exp(-x));
    }

    /** log(1 + e^x), linear above 20 where the two agree in float (ggml's threshold). */
    static float softplus(float x) {
        return x > 20f ? x : (float) Math.log1p(Math.exp(x));
    }
}
