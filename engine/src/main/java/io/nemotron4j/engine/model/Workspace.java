package io.nemotron4j.engine.model;

/**
 * Scratch buffers for pushing up to {@code chunk} tokens through the layers, allocated once per model so that a
 * forward pass allocates nothing. Rows are tokens: a buffer of width W holds token t at {@code [t*W, (t+1)*W)}.
 */
final class Workspace {

    final int chunk;
    /** Residual stream. */
    final float[] x;
    /** Normalised input of the current mixer. */
    final float[] u;
    /** Output of the current mixer. */
    final float[] mixed;
    /** Mamba: z | xBC | dt from the in-projection. */
    final float[] zxbcdt;
    /** Mamba: conv + SiLU output x | B | C. */
    final float[] xbc;
    /** Mamba: SSM output, then gated and normalised. */
    final float[] y;
    final float[] q;
    final float[] k;
    final float[] v;
    /** Attention: heads concatenated before the output projection. */
    final float[] attention;
    /** Attention: one row of softmax weights, as long as the longest sequence. */
    float[] scores;
    final float[] ffn;
    /** Final norm of the positions whose logits are wanted. */
    final float[] normed;
    /** Logits of every position in a chunk, made on first request (only "all positions" needs it). */
    float[] chunkLogits;

    Workspace(NemotronHConfig c, int chunk) {
        this.chunk = chunk;
        int e = c.embeddingLength();
        x = new float[chunk * e];
        u = new float[chunk * e];
        mixed = new float[chunk * e];
        normed = new float[chunk * e];
        boolean mamba = c.count(LayerKind.MAMBA) > 0;
        boolean attn = c.count(LayerKind.ATTENTION) > 0;
        zxbcdt = new float[mamba ? chunk * c.ssmInProjection() : 0];
        xbc = new float[mamba ? chunk * c.convChannels() : 0];
        y = new float[mamba ? chunk * c.ssmInner() : 0];
        int maxKv = 0;
        int maxFf = 0;
        for (int l = 0; l < c.layerCount(); l++) {
            maxKv = Math.max(maxKv, c.headCountKv()[l]);
            maxFf = Math.max(maxFf, c.feedForwardLength()[l]);
        }
        q = new float[attn ? chunk * c.headCount() * c.headDim() : 0];
        k = new float[attn ? chunk * maxKv * c.headDim() : 0];
        v = new float[attn ? chunk * maxKv * c.headDim() : 0];
        attention = new float[attn ? chunk * c.headCount() * c.headDim() : 0];
        scores = new float[attn ? 256 : 0];
        ffn = new float[chunk * maxFf];
    }

    /** A scores row of at least {@code n} entries (grows by doubling with the longest sequence seen). */
    float[] scores(int n) {
        if (scores.length < n) {
            scores = new float[Math.max(n, 2 * scores.length)];
        }
        return scores;
    }

    float[] chunkLogits(int vocab) {
        if (chunkLogits == null) {
            chunkLogits = new float[chunk * vocab];
        }
        return chunkLogits;
    }
}
