package io.nemotron4j.engine.model;

/** One worker's scratch for the chunked Mamba-2 scan (see {@code Mamba2Mixer#chunk}), sized for one head. */
final class ScanScratch {

    /**
     * Tokens scanned together. Longer chunks do more work per token in the C·B products and the intra-chunk sums
     * (they grow with the square of the chunk) for less state traffic; 64 matches the default prefill chunk.
     */
    static final int CHUNK = 64;

    /** {@code [t][s]}: C_t · B_s of the current group. */
    final float[] gram = new float[CHUNK * CHUNK];
    /** Running sum of dt·A over the chunk, in double so that differences of nearby sums keep their digits. */
    final double[] cum = new double[CHUNK];
    /** {@code [t][p]}: dt_t · x_t of the current head. */
    final float[] xdt;
    /** exp(cum_last − cum_s): how much of token s's input survives to the end of the chunk. */
    final float[] weight = new float[CHUNK];

    ScanScratch(int headDim) {
        xdt = new float[CHUNK * headDim];
    }
}
