package io.nemotron4j.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Q5_0: Q4_0's nibble layout plus a 32-bit word whose bit e is the fifth bit of element e; values are offset by
 * 16.
 */
final class Q5_0Format extends DecodingFormat {

    private static final int BLOCK = 32;
    private static final int BLOCK_BYTES = 22;

    @Override
    public GGMLType type() {
        return GGMLType.Q5_0;
    }

    @Override
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        long block = byteOffset;
        for (int e = 0; e < count; e += BLOCK, block += BLOCK_BYTES) {
            float d = LittleEndian.f16(src, block);
            int qh = src.get(LittleEndian.INT, block + 2);
            for (int k = 0; k < 2; k++) {
                long v = src.get(LittleEndian.LONG, block + 6 + 8 * k);
                int o = dstOffset + e + 8 * k;
                int lowBits = qh >>> (8 * k);
                int highBits = qh >>> (16 + 8 * k);
                for (int j = 0; j < 8; j++) {
                    dst[o + j] = d * (quant(v, lowBits, j) - 16);
                    dst[o + 16 + j] = d * (quant(v >>> 4, highBits, j) - 16);
                }
            }
        }
    }

    @Override
    public float dot(MemorySegment src, long byteOffset, float[] x, int xOffset, int count) {
        float sum = 0f;
        long block = byteOffset;
        for (int e = 0; e < count; e += BLOCK, block += BLOCK_BYTES) {
            int qh = src.get(LittleEndian.INT, block + 2);
            long v0 = src.get(LittleEndian.LONG, block + 6);
            long v1 = src.get(LittleEndian.LONG, block + 14);
            int i = xOffset + e;
            float s = quantDot(v0, qh, x, i)
                    + quantDot(v1, qh >>> 8, x, i + 8)
                    + quantDot(v0 >>> 4, qh >>> 16, x, i + 16)
                    + quantDot(v1 >>> 4, qh >>> 24, x, i + 24);
            sum += LittleEndian.f16(src, block) * s;
        }
        return sum;
    }

    /** Low nibble of lane j of {@code nibbles} with bit j of {@code fifthBits} on top. */
    private static int quant(long nibbles, int fifthBits, int j) {
        return (int) ((nibbles >>> (j << 3)) & 15) | (((fifthBits >>> j) & 1) << 4);
    }

    private static float quantDot(long nibbles, int fifthBits, float[] x, int i) {
        float even = 0f;
        float odd = 0f;
        for (int j = 0; j < 8; j += 2) {
            even += (quant(nibbles, fifthBits, j) - 16) * x[i + j];
            odd += (quant(nibbles, fifthBits, j + 1) - 16) * x[i + j + 1];
        }
        return even + odd;
    }
}
