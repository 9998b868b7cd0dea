package io.nemotron4j.engine.model;

import java.util.Arrays;

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
    /** Per worker: attention scores of a tile of query rows, grown with the longest sequence. */
    private float[][] attentionScores = new float[0][];
    final float[] ffn;
    /** Final norm of the positions whose logits are wanted. */
    final float[] normed;
    /** Logits of every position in a chunk, made on first request (only "all positions" needs it). */
    float[] chunkLogits;
    /** Per worker: the chunked Mamba scan's scratch, made on first use. */
    private ScanScratch[] scanScratch = new ScanScratch[0];

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
        ffn = new float[chunk * maxFf];
    }

    /**
     * Worker {@code worker}'s attention scores, at least {@code n} floats (grown by doubling, so a sequence growing
     * token by token reallocates rarely). Sized for the workers by {@link #prepareAttention} beforehand.
     */
    float[] attentionScores(int worker, int n) {
        float[] s = attentionScores[worker];
        if (s == null || s.length < n) {
            s = new float[Math.max(n, s == null ? 1024 : 2 * s.length)];
            attentionScores[worker] = s;
        }
        return s;
    }

    /** Makes room for {@code workers} score arrays; called before the workers start. */
    void prepareAttention(int workers) {
        if (attentionScores.length < workers) {
            attentionScores = Arrays.copyOf(attentionScores, workers);
        }
    }

    /**
     * Worker {@code worker}'s scan scratch. Workers call this concurrently, so the array is sized before the scan
     * starts, by {@link #prepareScan}.
     */
    ScanScratch scanScratch(int worker, int headDim) {
        ScanScratch s = scanScratch[worker];
        if (s == null) {
            s = new ScanScratch(headDim);
            scanScratch[worker] = s;
        }
        return s;
    }

    /** Makes room for {@code workers} scan scratches; called before the workers start. */
    void prepareScan(int workers) {
        if (scanScratch.length < workers) {
            scanScratch = Arrays.copyOf(scanScratch, workers);
        }
    }

    float[] chunkLogits(int vocab) {
        if (chunkLogits == null) {
            chunkLogits = new float[chunk * vocab];
        }
        return chunkLogits;
    }
}
