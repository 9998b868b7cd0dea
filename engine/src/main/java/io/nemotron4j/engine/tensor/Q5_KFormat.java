package io.nemotron4j.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Q5_K: Q4_K's scales and nibble layout plus 32 bytes of fifth bits; bit k of byte l is the fifth bit of
 * element l of sub-block k.
 */
final class Q5_KFormat extends DecodingFormat {

    private static final int BLOCK = 256;
    private static final int BLOCK_BYTES = 176;
    private static final int SCALES = 4;
    private static final int QH = SCALES + KScales.BYTES;
    private static final int QS = QH + 32;

    @Override
    public GGMLType type() {
        return GGMLType.Q5_K;
    }

    @Override
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        long block = byteOffset;
        for (int e = 0; e < count; e += BLOCK, block += BLOCK_BYTES) {
            float d = LittleEndian.f16(src, block);
            float dmin = LittleEndian.f16(src, block + 2);
            for (int c = 0; c < 4; c++) {
                int lo = 2 * c;
                float scaleLo = d * KScales.scale(src, block + SCALES, lo);
                float minLo = dmin * KScales.min(src, block + SCALES, lo);
                float scaleHi = d * KScales.scale(src, block + SCALES, lo + 1);
                float minHi = dmin * KScales.min(src, block + SCALES, lo + 1);
                for (int k = 0; k < 4; k++) {
                    long v = src.get(LittleEndian.LONG, block + QS + 32 * c + 8 * k);
                    long h = src.get(LittleEndian.LONG, block + QH + 8 * k);
                    int o = dstOffset + e + 64 * c + 8 * k;
                    for (int j = 0; j < 8; j++) {
                        dst[o + j] = scaleLo * Lanes.quant(v, h >>> lo, 1, j) - minLo;
                        dst[o + 32 + j] = scaleHi * Lanes.quant(v >>> 4, h >>> (lo + 1), 1, j) - minHi;
                    }
                }
            }
        }
    }

    /** Per sub-block, Σ w·x = scale·Σ q·x − min·Σ x, so the inner loop multiplies raw quants only. */
    @Override
    public float dot(MemorySegment src, long byteOffset, float[] x, int xOffset, int count) {
        float sum = 0f;
        long block = byteOffset;
        for (int e = 0; e < count; e += BLOCK, block += BLOCK_BYTES) {
            float scaled = 0f;
            float mins = 0f;
            for (int c = 0; c < 4; c++) {
                int lo = 2 * c;
                float qxLo = 0f;
                float qxHi = 0f;
                float xLo = 0f;
                float xHi = 0f;
                for (int k = 0; k < 4; k++) {
                    long v = src.get(LittleEndian.LONG, block + QS + 32 * c + 8 * k);
                    long h = src.get(LittleEndian.LONG, block + QH + 8 * k);
                    int i = xOffset + e + 64 * c + 8 * k;
                    qxLo += Lanes.quantDot(v, h >>> lo, 1, 0, x, i);
                    qxHi += Lanes.quantDot(v >>> 4, h >>> (lo + 1), 1, 0, x, i + 32);
                    xLo += Lanes.sum(x, i);
                    xHi += Lanes.sum(x, i + 32);
                }
                scaled += KScales.scale(src, block + SCALES, lo) * qxLo
                        + KScales.scale(src, block + SCALES, lo + 1) * qxHi;
                mins += KScales.min(src, block + SCALES, lo) * xLo
                        + KScales.min(src, block + SCALES, lo + 1) * xHi;
            }
            sum += LittleEndian.f16(src, block) * scaled - LittleEndian.f16(src, block + 2) * mins;
        }
        return sum;
    }
}
