package io.nemotron4j.engine.tensor;

/**
 * Eight quantized values at a time, taken from a block as one little-endian long: one segment read instead of
 * eight, and the shifts and masks that pick the lanes apart replace per-element branches.
 *
 * <p>Lane j of a long is its byte j. A quant is a low nibble ({@code lo}'s lane, shifted down beforehand when the
 * caller wants the high nibbles) plus optional high bits from the same lane of {@code hi}, placed at bit 4.
 */
final class Lanes {

    private Lanes() {
    }

    /** Quant j: bits 0-3 of lane j of {@code lo}, or'ed with {@code (lane j of hi) & hiMask} shifted to bit 4. */
    static int quant(long lo, long hi, int hiMask, int j) {
        int shift = j << 3;
        return (int) ((lo >>> shift) & 15) | (((int) (hi >>> shift) & hiMask) << 4);
    }

    /** Σ (quant j − bias) · x[i+j] over the eight lanes. */
    static float quantDot(long lo, long hi, int hiMask, int bias, float[] x, int i) {
        float even = 0f;
        float odd = 0f;
        for (int j = 0; j < 8; j += 2) {
            even += (quant(lo, hi, hiMask, j) - bias) * x[i + j];
            odd += (quant(lo, hi, hiMask, j + 1) - bias) * x[i + j + 1];
        }
        return even + odd;
    }

    /** Σ (signed byte j) · x[i+j] over the eight lanes. */
    static float signedByteDot(long v, float[] x, int i) {
        float even = 0f;
        float odd = 0f;
        for (int j = 0; j < 8; j += 2) {
            even += (byte) (v >>> (j << 3)) * x[i + j];
            odd += (byte) (v >>> ((j + 1) << 3)) * x[i + j + 1];
        }
        return even + odd;
    }

    /** Σ x[i..i+7]. */
    static float sum(float[] x, int i) {
        return ((x[i] + x[i + 1]) + (x[i + 2] + x[i + 3])) + ((x[i + 4] + x[i + 5]) + (x[i + 6] + x[i + 7]));
    }
}
