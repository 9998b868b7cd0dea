package io.nemotron4j.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Q4_0: blocks of 32 nibbles offset by 8 and one f16 scale. Byte j holds element j in its low nibble and element
 * j+16 in its high nibble.
 */
final class Q4_0Format extends DecodingFormat {

    private static final int BLOCK = 32;
    private static final int BLOCK_BYTES = 18;

    @Override
    public GGMLType type() {
        return GGMLType.Q4_0;
    }

    @Override
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        long block = byteOffset;
        for (int e = 0; e < count; e += BLOCK, block += BLOCK_BYTES) {
            float d = LittleEndian.f16(src, block);
            for (int k = 0; k < 2; k++) {
                long v = src.get(LittleEndian.LONG, block + 2 + 8 * k);
                int o = dstOffset + e + 8 * k;
                for (int j = 0; j < 8; j++) {
                    dst[o + j] = d * (Lanes.quant(v, 0, 0, j) - 8);
                    dst[o + 16 + j] = d * (Lanes.quant(v >>> 4, 0, 0, j) - 8);
                }
            }
        }
    }

    @Override
    public float dot(MemorySegment src, long byteOffset, float[] x, int xOffset, int count) {
        float sum = 0f;
        long block = byteOffset;
        for (int e = 0; e < count; e += BLOCK, block += BLOCK_BYTES) {
            int i = xOffset + e;
            long v0 = src.get(LittleEndian.LONG, block + 2);
            long v1 = src.get(LittleEndian.LONG, block + 10);
            float s = Lanes.quantDot(v0, 0, 0, 8, x, i)
                    + Lanes.quantDot(v1, 0, 0, 8, x, i + 8)
                    + Lanes.quantDot(v0 >>> 4, 0, 0, 8, x, i + 16)
                    + Lanes.quantDot(v1 >>> 4, 0, 0, 8, x, i + 24);
            sum += LittleEndian.f16(src, block) * s;
        }
        return sum;
    }
}
